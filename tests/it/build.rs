//! The binary users build is the binary the tests check: building the tests must not
//! change the features of any crate the shipped binary is made of. If a dev-dependency
//! switched a feature on (serde_json's `preserve_order` once did, through a test-only
//! crate), `cargo build` and `cargo test` would print JSON keys in different orders, and
//! every AWS SDK crate would be compiled twice.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// `cargo tree` of the workspace for this platform: each package (`name vX.Y.Z`) with the
/// feature sets it is built with (one per unit: a crate built for build scripts and for
/// the binary may have two).
fn features(edges: &str, package: Option<&str>) -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "tree",
        "--locked",
        "--offline",
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
        let feats: BTreeSet<&str> = parts
            .filter(|p| !p.starts_with('('))
            .flat_map(|p| p.split(','))
            .collect();
        let feats: Vec<&str> = feats.into_iter().collect();
        map.entry(format!("{name} {version}"))
            .or_default()
            .insert(feats.join(","));
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
    // Every unit of the shipped build must be in the test build as it is: a dev-dependency
    // may add units (a crate the tests alone use), never change a shipped one.
    let differing: Vec<String> = watched
        .iter()
        .filter(|k| match (shipped.get(*k), tested.get(*k)) {
            (Some(s), Some(t)) => !s.is_subset(t),
            (s, t) => s.is_some() != t.is_some(),
        })
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
    // The code linked into the binary (no build-script units): there a crate is one unit,
    // and its features must be exactly the same.
    let shipped_code = features("normal", None);
    let tested_code = features("normal,dev", None);
    let differing: Vec<String> = watched
        .iter()
        .filter_map(|k| Some((k, shipped_code.get(k)?)))
        .filter(|(k, s)| tested_code.get(*k) != Some(*s))
        .map(|(k, s)| format!("{k}: shipped {s:?}, tested {:?}", tested_code.get(k)))
        .collect();
    assert!(
        differing.is_empty(),
        "a dev-dependency changes the features of crates linked into the binary:\n{}",
        differing.join("\n")
    );
    assert!(
        shipped.iter().any(|(k, f)| k.starts_with("serde_json ")
            && f.iter()
                .all(|f| f.split(',').any(|x| x == "preserve_order"))),
        "reports and the policy rely on serde_json keeping insertion order"
    );
}
