//! # quanze-export (skeleton; being written)
