use super::*;

#[test]
fn the_bundle_is_valid() {
    let generated = generate();
    let problems = generated.bundle.problems();
    assert!(problems.is_empty(), "{problems:?}");
}
