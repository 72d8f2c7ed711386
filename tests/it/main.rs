//! The integration tests, one binary: the real `hiyari` binary against moto_server (an
//! emulator of the AWS APIs started by the harness), and every report format checked by
//! an independent consumer. One binary instead of one per area, since each links the
//! whole AWS SDK.

mod scenarios;
mod support;

mod action;
mod answers;
mod audit_moto;
mod build;
mod cli_messages;
mod config_moto;
mod diff_moto;
mod examples;
mod faults;
mod inputs;
mod org_moto;
mod output_files;
mod outputs;
mod parsers;
mod report_formats;
mod screens;
mod secrets;
mod shards;
mod sweep;
mod warnings;

// The renderers, compiled in from `src/report/` as they are (they depend only on
// `hiyari_checks` and on each other), for tests/it/report_formats.rs.
#[allow(dead_code)]
#[path = "../../src/report/asff.rs"]
mod asff;
#[allow(dead_code)]
#[path = "../../src/report/common.rs"]
mod common;
#[allow(dead_code)]
#[path = "../../src/report/csv.rs"]
mod csv;
#[allow(dead_code)]
#[path = "../../src/report/group.rs"]
mod group;
#[allow(dead_code)]
#[path = "../../src/report/html.rs"]
mod html;
#[allow(dead_code)]
#[path = "../../src/report/json.rs"]
mod json;
#[allow(dead_code)]
#[path = "../../src/report/junit.rs"]
mod junit;
#[allow(dead_code)]
#[path = "../../src/report/markdown.rs"]
mod markdown;
#[allow(dead_code)]
#[path = "../../src/report/ocsf.rs"]
mod ocsf;
#[allow(dead_code)]
#[path = "../../src/report/sarif.rs"]
mod sarif;
#[allow(dead_code)]
#[path = "../../src/report/table.rs"]
mod table;
#[allow(dead_code)]
#[path = "../../src/report/text.rs"]
mod text;
#[allow(dead_code)]
#[path = "../../src/report/wrap.rs"]
mod wrap;
