//! # quanze-pdf (skeleton; being written)
