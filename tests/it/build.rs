//! The binary users build is the binary the tests check: building the tests must not
//! change the features of any crate the shipped binary is made of. If a dev-dependency
//! switched a feature on (serde_json's `preserve_order` once did, through a test-only
//! crate), `cargo build` and `cargo test` would print JSON keys in different orders, and
//! every AWS SDK crate would be compiled twice.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// `cargo tree` of the workspace: each package (`name vX.Y.Z`) with its features.
fn features(edges: &str, package: Option<&str>) -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "tree",
        "--locked",
        "--offline",
        "--target",
        "all",
        "--prefix",
        "none",
        "-f",
        "{p} {f}",
        "-e",
        edges,
    ]);
    if let Some(p) = package {
        cmd.args(["-p", p]);
    }
    let out = cmd.output().expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let mut parts = line.split_whitespace();
        let (Some(name), Some(version)) = (parts.next(), parts.next()) else {
            continue;
        };
        let feats = map.entry(format!("{name} {version}")).or_default();
        for p in parts.filter(|p| !p.starts_with('(')) {
            feats.extend(p.split(',').map(str::to_string));
        }
    }
    map
}

#[test]
fn tests_build_the_shipped_crates_with_the_shipped_features() {
    let shipped = features("normal,build", None);
    let tested = features("normal,build,dev", None);
    // What the AWS SDK is built from, plus the JSON writer of every report.
    let mut watched: BTreeSet<String> = features("normal,build", Some("aws-sdk-ec2"))
        .into_keys()
        .collect();
    watched.extend(
        shipped
            .keys()
            .filter(|k| k.starts_with("serde_json ") || k.starts_with("aws-"))
            .cloned(),
    );
    assert!(
        watched.iter().any(|k| k.starts_with("aws-smithy-runtime ")),
        "the SDK's closure was not found: {watched:?}"
    );
    let differing: Vec<String> = watched
        .iter()
        .filter(|k| shipped.get(*k) != tested.get(*k))
        .map(|k| {
            format!(
                "{k}: shipped {:?}, tested {:?}",
                shipped.get(k),
                tested.get(k)
            )
        })
        .collect();
    assert!(
        differing.is_empty(),
        "a dev-dependency changes the features of shipped crates:\n{}",
        differing.join("\n")
    );
    assert!(
        shipped
            .iter()
            .any(|(k, f)| k.starts_with("serde_json ") && f.contains("preserve_order")),
        "reports and the policy rely on serde_json keeping insertion order"
    );
}
