//! What every answer from AWS must be before a collector reads it: at most
//! [`MAX_ANSWER_BYTES`] long, and, when it says HTTP 200, an answer to the call rather
//! than an empty body, an error in disguise or a page without the data the API always
//! returns.
//!
//! The SDK cannot tell: its deserialisers fill every required member that an answer
//! lacks with an empty value (an empty list of detectors, no trails, no cost), and a body
//! that says `{"__type":"AccessDeniedException"}` with status 200 reads as a success with
//! nothing in it. A broken proxy or a captive portal gives exactly such answers, and the
//! checks would read them as "nothing there": a pass, or a fail. [`AnswerGuard`] looks at
//! the raw answer of every call and turns these into an error naming the API and what was
//! missing ([`AnswerError`], mapped by [`super::collect_error`]).

use std::collections::BTreeMap;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeDeserializationInterceptorContextMut,
    BeforeDeserializationInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;

/// The largest answer read from AWS, in bytes (one page of a paged call). The largest
/// legitimate ones are a page of 1,000 snapshots or images and the credential report
/// (base64 CSV, about 400 bytes per IAM user): a few MB. Documented in
/// docs/guide/limits.md.
pub const MAX_ANSWER_BYTES: u64 = 16 * 1024 * 1024;

/// The most characters of one free text from AWS (a description, a Name tag) that the
/// inventory keeps; past it the text is cut, and says so where it was cut
/// ([`aws_text`]). Documented in docs/guide/limits.md.
pub const MAX_TEXT_CHARS: usize = 4096;

/// A free text from AWS as the inventory keeps it: at most [`MAX_TEXT_CHARS`]
/// characters, and when cut, ending with `…[cut by hiyari: N more characters]`, so that
/// every format, the machine ones included, shows where.
pub fn aws_text(s: &str) -> String {
    match s.char_indices().nth(MAX_TEXT_CHARS) {
        None => s.to_string(),
        Some((at, _)) => {
            let rest = s[at..].chars().count();
            format!("{}…[cut by hiyari: {rest} more characters]", &s[..at])
        }
    }
}

/// The error code of an answer that says HTTP 200 but lacks what the API always returns.
pub const INCOMPLETE: &str = "IncompleteResponse";
/// The error code of an answer longer than [`MAX_ANSWER_BYTES`].
pub const TOO_LARGE: &str = "ResponseTooLarge";

/// Why an answer was not read: its error code and a sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct AnswerError {
    pub code: String,
    pub message: String,
}

impl AnswerError {
    fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            message: message.into(),
        }
    }
}

/// What each operation's successful answer always carries: a top-level member of the
/// JSON object, or an element of the XML document, by its name on the wire (as the
/// service's API reference shows it). An operation not listed must still have a body
/// that is not empty and not an error.
const ALWAYS_RETURNED: &[(&str, &str)] = &[
    ("AssumeRole", "Credentials"),
    ("DescribeAlarms", ""),
    ("DescribeBudgets", ""),
    (
        "DescribeDBClusterSnapshotAttributes",
        "DBClusterSnapshotAttributesResult",
    ),
    ("DescribeDBClusterSnapshots", "DBClusterSnapshots"),
    ("DescribeDBSnapshotAttributes", "DBSnapshotAttributesResult"),
    ("DescribeDBSnapshots", "DBSnapshots"),
    ("DescribeImages", "imagesSet"),
    ("DescribeInstances", "reservationSet"),
    ("DescribeNetworkInterfaces", "networkInterfaceSet"),
    ("DescribeNotificationsForBudget", ""),
    ("DescribeRegions", "regionInfo"),
    ("DescribeSecurityGroups", "securityGroupInfo"),
    ("DescribeSnapshotAttribute", "snapshotId"),
    ("DescribeSnapshots", "snapshotSet"),
    ("DescribeSpotFleetRequests", "spotFleetRequestConfigSet"),
    ("DescribeSpotInstanceRequests", "spotInstanceRequestSet"),
    ("DescribeTrails", "trailList"),
    ("GenerateCredentialReport", "State"),
    ("GetAccount", "SendingEnabled"),
    ("GetAccountSummary", "SummaryMap"),
    ("GetAlternateContact", "AlternateContact"),
    ("GetCallerIdentity", "Account"),
    ("GetCostAndUsage", "ResultsByTime"),
    ("GetCredentialReport", "Content"),
    ("GetDetector", "status"),
    ("GetEventSelectors", "TrailARN"),
    ("GetFindings", "findings"),
    (
        "GetImageBlockPublicAccessState",
        "imageBlockPublicAccessState",
    ),
    ("GetMetricData", ""),
    ("GetPublicAccessBlock", "PublicAccessBlockConfiguration"),
    ("GetSnapshotBlockPublicAccessState", "state"),
    ("GetTrailStatus", "IsLogging"),
    ("ListAccounts", "Accounts"),
    ("ListDetectors", "detectorIds"),
    ("ListEntitiesForPolicy", "PolicyUsers"),
    ("ListFindings", "findingIds"),
    ("ListOrganizationsFeatures", ""),
    ("ListVirtualMFADevices", "VirtualMFADevices"),
];

/// The member or element `operation`'s answer always carries; `None` for an operation
/// whose answer may be an empty object, or that is not listed.
pub fn always_returned(operation: &str) -> Option<&'static str> {
    ALWAYS_RETURNED
        .iter()
        .find(|(op, _)| *op == operation)
        .map(|(_, m)| *m)
        .filter(|m| !m.is_empty())
}

/// Checks the body of a successful (2xx) answer to `operation`. `error_type` is the
/// `x-amzn-ErrorType` header, which REST-JSON services set on an error.
pub fn check_answer(
    operation: &str,
    body: &[u8],
    error_type: Option<&str>,
) -> Result<(), AnswerError> {
    let text = body.trim_ascii();
    if text.is_empty() {
        return Err(AnswerError::new(
            INCOMPLETE,
            format!("the {operation} answer is empty (HTTP 200 with no body)"),
        ));
    }
    let want = always_returned(operation);
    if let Some(code) = error_type.filter(|t| !t.is_empty()) {
        return Err(AnswerError::new(
            &aws_code(code),
            format!("the {operation} answer is an error with HTTP status 200"),
        ));
    }
    match text[0] {
        b'{' => {
            // Only the top-level names are kept: the values are skipped as they are read.
            let members: BTreeMap<String, serde::de::IgnoredAny> = serde_json::from_slice(text)
                .map_err(|e| {
                    AnswerError::new(
                        INCOMPLETE,
                        format!("the {operation} answer is not a JSON object ({e})"),
                    )
                })?;
            // `__type` is the error of the JSON protocols; a `code` where the data should
            // be is the error of REST-JSON ones without their header.
            let error_member = if members.contains_key("__type") {
                Some("__type")
            } else if want.is_some_and(|w| !members.contains_key(w)) {
                ["code", "Code"]
                    .into_iter()
                    .find(|k| members.contains_key(*k))
            } else {
                None
            };
            if let Some(t) = error_member {
                let code = json_string_member(text, t).unwrap_or_else(|| "UnknownError".into());
                return Err(AnswerError::new(
                    &aws_code(&code),
                    format!("the {operation} answer is an error with HTTP status 200"),
                ));
            }
            match want {
                Some(w) if !members.contains_key(w) => Err(missing(operation, w)),
                _ => Ok(()),
            }
        }
        b'<' => {
            if let Some(code) = xml_error_code(text) {
                return Err(AnswerError::new(
                    &code,
                    format!("the {operation} answer is an error with HTTP status 200"),
                ));
            }
            match want {
                Some(w) if !has_element(text, w) => Err(missing(operation, w)),
                _ => Ok(()),
            }
        }
        // CBOR (Smithy RPC v2, CloudWatch) is read by the SDK itself; what it lacks cannot
        // be told from a byte scan.
        _ if want.is_none() => Ok(()),
        _ => Err(AnswerError::new(
            INCOMPLETE,
            format!("the {operation} answer is neither JSON nor XML"),
        )),
    }
}

fn missing(operation: &str, member: &str) -> AnswerError {
    AnswerError::new(
        INCOMPLETE,
        format!("the {operation} answer lacks `{member}`, which the API always returns"),
    )
}

/// `aws.protocoltests#AccessDeniedException` or `AccessDeniedException:http://…` as
/// the bare code, at most 64 characters of it.
fn aws_code(t: &str) -> String {
    let t = t.rsplit('#').next().unwrap_or(t);
    let t = t.split(':').next().unwrap_or(t);
    let code: String = t
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
        .take(64)
        .collect();
    if code.is_empty() {
        "UnknownError".into()
    } else {
        code
    }
}

/// The string value of the top-level `name` of a JSON object, if it is a string.
fn json_string_member(text: &[u8], name: &str) -> Option<String> {
    // Only reached for an error body.
    let m: BTreeMap<String, serde_json::Value> = serde_json::from_slice(text).ok()?;
    m.get(name)?.as_str().map(str::to_string)
}

/// Whether the XML document has an element `name` (`<name>`, `<name/>` or `<name …>`).
/// A byte scan, not a parse: in XML text and attribute values `<` is always escaped, so
/// `<name` followed by `>`, `/` or a space can only be the start of that element.
fn has_element(text: &[u8], name: &str) -> bool {
    let open = format!("<{name}");
    let mut rest = text;
    while let Some(i) = find(rest, open.as_bytes()) {
        let after = rest.get(i + open.len()).copied();
        if matches!(after, Some(b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n')) {
            return true;
        }
        rest = &rest[i + open.len()..];
    }
    false
}

/// The `<Code>` of an XML error document (`<Response><Errors><Error>` for EC2,
/// `<ErrorResponse><Error>` for the query APIs, `<Error>` for S3 Control).
fn xml_error_code(text: &[u8]) -> Option<String> {
    let root = text
        .windows(1)
        .position(|w| w == b"<")
        .map(|i| &text[i..])
        .and_then(|t| {
            // Skip an XML declaration.
            if t.starts_with(b"<?") {
                find(t, b"?>").map(|e| t[e + 2..].trim_ascii_start())
            } else {
                Some(t)
            }
        })?;
    let is_error = [&b"<Response>"[..], b"<ErrorResponse", b"<Error>"]
        .iter()
        .any(|p| root.starts_with(p));
    if !is_error {
        return None;
    }
    let start = find(root, b"<Code>")? + "<Code>".len();
    let end = start + find(&root[start..], b"</Code>")?;
    Some(aws_code(&String::from_utf8_lossy(&root[start..end])))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The interceptor that applies [`MAX_ANSWER_BYTES`] and [`check_answer`] to every call
/// of every client.
#[derive(Debug, Clone, Default)]
pub struct AnswerGuard;

impl Intercept for AnswerGuard {
    fn name(&self) -> &'static str {
        "hiyari::AnswerGuard"
    }

    fn read_after_transmit(
        &self,
        context: &BeforeDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let declared = context
            .response()
            .headers()
            .get("content-length")
            .and_then(|v| v.parse::<u64>().ok());
        match declared {
            Some(n) if n > MAX_ANSWER_BYTES => Err(too_large().into()),
            _ => Ok(()),
        }
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // An answer without a length (chunked) is cut off as it is read.
        let body = std::mem::replace(context.response_mut().body_mut(), SdkBody::taken());
        *context.response_mut().body_mut() = body.map(|b| {
            SdkBody::from_body_1_x(LimitedBody(http_body_util::Limited::new(
                b,
                MAX_ANSWER_BYTES as usize,
            )))
        });
        Ok(())
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // Also when the SDK read the answer as an error: an empty body with status 200
        // is one for the query protocols, with no code of its own.
        let response = context.response();
        if !response.status().is_success() {
            return Ok(());
        }
        let Some(op) = cfg.load::<Metadata>().map(|m| m.name().to_string()) else {
            return Ok(());
        };
        // A streamed answer (none of hiyari's calls) has no bytes here: not checked.
        let Some(body) = response.body().bytes() else {
            return Ok(());
        };
        check_answer(&op, body, response.headers().get("x-amzn-errortype"))?;
        Ok(())
    }
}

fn too_large() -> AnswerError {
    AnswerError::new(
        TOO_LARGE,
        format!(
            "the answer is longer than {} MiB, the most hiyari reads from one call",
            MAX_ANSWER_BYTES / (1024 * 1024)
        ),
    )
}

/// [`http_body_util::Limited`] with its error as an [`AnswerError`], so that the error of
/// the call names the limit.
struct LimitedBody(http_body_util::Limited<SdkBody>);

impl http_body::Body for LimitedBody {
    type Data = bytes::Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let inner = std::pin::Pin::new(&mut self.get_mut().0);
        match inner.poll_frame(cx) {
            std::task::Poll::Ready(Some(Err(e))) => {
                std::task::Poll::Ready(Some(Err(if e.is::<http_body_util::LengthLimitError>() {
                    too_large().into()
                } else {
                    e
                })))
            }
            other => other,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.0.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_answer_is_an_error_naming_the_api() {
        let e = check_answer("GetCostAndUsage", b"", None).unwrap_err();
        assert_eq!(e.code, INCOMPLETE);
        assert!(e.message.contains("GetCostAndUsage"), "{e}");
        let e = check_answer("DescribeAlarms", b"  \n", None).unwrap_err();
        assert_eq!(e.code, INCOMPLETE);
    }

    #[test]
    fn an_answer_without_what_the_api_always_returns_names_it() {
        let e = check_answer("GetCostAndUsage", b"{}", None).unwrap_err();
        assert_eq!(e.code, INCOMPLETE);
        assert!(e.message.contains("`ResultsByTime`"), "{e}");
        let e = check_answer("ListDetectors", br#"{"nextToken":"x"}"#, None).unwrap_err();
        assert!(e.message.contains("`detectorIds`"), "{e}");
        let e = check_answer(
            "DescribeRegions",
            b"<DescribeRegionsResponse><requestId>r</requestId></DescribeRegionsResponse>",
            None,
        )
        .unwrap_err();
        assert!(e.message.contains("`regionInfo`"), "{e}");
        // A longer element of the same prefix is not the element.
        let e = check_answer(
            "DescribeRegions",
            b"<DescribeRegionsResponse><regionInfoX/></DescribeRegionsResponse>",
            None,
        )
        .unwrap_err();
        assert_eq!(e.code, INCOMPLETE);
    }

    #[test]
    fn complete_answers_pass_however_empty_their_lists() {
        check_answer("ListDetectors", br#"{"detectorIds":[]}"#, None).unwrap();
        check_answer(
            "GetCostAndUsage",
            br#"{"ResultsByTime":[],"DimensionValueAttributes":[]}"#,
            None,
        )
        .unwrap();
        check_answer(
            "DescribeRegions",
            b"<?xml version=\"1.0\"?>\n<DescribeRegionsResponse><regionInfo/></DescribeRegionsResponse>",
            None,
        )
        .unwrap();
        check_answer(
            "DescribeInstances",
            b"<DescribeInstancesResponse><reservationSet>\n</reservationSet></DescribeInstancesResponse>",
            None,
        )
        .unwrap();
        check_answer("DescribeAlarms", &[0xA0], None).unwrap();
        check_answer("DescribeBudgets", b"{}", None).unwrap();
    }

    #[test]
    fn an_error_body_with_status_200_is_that_error() {
        let e = check_answer(
            "GetCostAndUsage",
            br#"{"__type":"AccessDeniedException","message":"no"}"#,
            None,
        )
        .unwrap_err();
        assert_eq!(e.code, "AccessDeniedException");
        let e = check_answer(
            "GetCostAndUsage",
            br#"{"__type":"com.amazonaws#ThrottlingException","ResultsByTime":[]}"#,
            None,
        )
        .unwrap_err();
        assert_eq!(e.code, "ThrottlingException");
        let e = check_answer(
            "ListDetectors",
            br#"{"message":"denied"}"#,
            Some("AccessDeniedException:http://internal.amazon.com/coral/"),
        )
        .unwrap_err();
        assert_eq!(e.code, "AccessDeniedException");
        let e = check_answer(
            "DescribeRegions",
            b"<?xml version=\"1.0\"?><Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>no</Message></Error></Errors></Response>",
            None,
        )
        .unwrap_err();
        assert_eq!(e.code, "UnauthorizedOperation");
        let e =
            check_answer("GetAlternateContact", br#"{"code":"<b>evil</b>"}"#, None).unwrap_err();
        assert_eq!(e.code, "bevilb", "only code characters are kept");
    }

    #[test]
    fn long_aws_text_is_cut_and_says_where() {
        assert_eq!(aws_text("snapshot of db"), "snapshot of db");
        let long = "é".repeat(MAX_TEXT_CHARS + 10);
        let cut = aws_text(&long);
        assert!(
            cut.ends_with("…[cut by hiyari: 10 more characters]"),
            "{}",
            &cut[cut.len() - 60..]
        );
        assert_eq!(cut.chars().filter(|&c| c == 'é').count(), MAX_TEXT_CHARS);
    }

    #[test]
    fn every_listed_operation_is_listed_once() {
        let mut ops: Vec<&str> = ALWAYS_RETURNED.iter().map(|(o, _)| *o).collect();
        let n = ops.len();
        ops.sort();
        ops.dedup();
        assert_eq!(ops.len(), n);
    }
}
