//! A fault-injecting HTTP/1.1 proxy for the integration tests, on a free loopback port,
//! between the hiyari binary (`--endpoint-url` pointed at it) and moto_server.
//!
//! Every request is identified by the region and service of its SigV4 credential scope
//! (the `Authorization` header) and by its action (`X-Amz-Target` for the JSON
//! protocols, `Action=` in the form body for the query protocols of EC2, IAM and STS,
//! the operation in the path for Smithy RPC v2 CBOR, and method and path for REST-JSON
//! such as GuardDuty), and counted. Then the [`Faults`] in force decide what happens to
//! it, in this order: bad credentials for every call; expired credentials for the calls
//! signed with an assumed-role key past its stated expiry (`session_seconds`) or, for
//! one account's keys, past a count (`expire_after`); the first
//! N of the matching calls throttled (`throttle_first`); a denial (`AccessDenied`,
//! `UnauthorizedOperation`, `AccessDeniedException`, each in its protocol's shape) for
//! the matching calls; a stall (no answer until the proxy is dropped) for the matching
//! calls; with probability `transient_rate`, one of the transient faults; added latency;
//! a delay for the matching calls (`slow`);
//! a canned answer (`answer`: AWS's answer to a call moto does not serve); and otherwise
//! the request goes to moto and its answer, possibly rewritten (`rewrite`), back to the
//! client.
//!
//! The transient fault a request gets is decided by a hash of the seed, the request
//! (region, service, method, path, body) and how many times that same request was seen
//! before, not by arrival order: the same scan with the same seed meets the same faults
//! however its calls interleave, and a retry of a faulted call is decided afresh.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A transient fault: the kind an AWS client must retry through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Transient {
    /// Throttling in the protocol's own shape: `Throttling` (HTTP 400) for the query
    /// APIs (IAM, STS), `RequestLimitExceeded` (HTTP 503) for EC2, `ThrottlingException`
    /// (HTTP 400, `x-amzn-ErrorType`) for the JSON and REST-JSON APIs.
    Throttle,
    /// HTTP 503 `SlowDown`.
    SlowDown,
    /// HTTP 500 `InternalError` / `InternalFailure`.
    InternalError,
    /// HTTP 503 `ServiceUnavailable`.
    Unavailable,
    /// The connection is reset (RST) before any answer.
    Reset,
}

impl Transient {
    pub const ALL: [Transient; 5] = [
        Transient::Throttle,
        Transient::SlowDown,
        Transient::InternalError,
        Transient::Unavailable,
        Transient::Reset,
    ];

    fn name(self) -> &'static str {
        match self {
            Transient::Throttle => "throttle",
            Transient::SlowDown => "slow-down",
            Transient::InternalError => "internal-error",
            Transient::Unavailable => "unavailable",
            Transient::Reset => "reset",
        }
    }
}

/// Which requests a rule applies to: every field that is set must match.
#[derive(Debug, Clone, Default)]
pub struct Match {
    /// The SigV4 service name, e.g. `guardduty`, `ec2`, `iam`.
    pub service: Option<String>,
    /// The action, e.g. `DescribeSnapshots`.
    pub action: Option<String>,
    pub region: Option<String>,
    /// Text the request body must contain (URL-encoded as sent, e.g. a `RoleArn`).
    pub body_contains: Option<String>,
}

impl Match {
    pub fn service(s: &str) -> Self {
        Match {
            service: Some(s.into()),
            ..Default::default()
        }
    }

    pub fn action(service: &str, action: &str) -> Self {
        Match {
            service: Some(service.into()),
            action: Some(action.into()),
            ..Default::default()
        }
    }

    pub fn region(r: &str) -> Self {
        Match {
            region: Some(r.into()),
            ..Default::default()
        }
    }

    /// The calls of `action` whose body contains `text`.
    pub fn body(service: &str, action: &str, text: &str) -> Self {
        Match {
            body_contains: Some(text.into()),
            ..Match::action(service, action)
        }
    }

    fn matches(&self, c: &Call, body: &[u8]) -> bool {
        self.service.as_ref().is_none_or(|s| *s == c.service)
            && self.action.as_ref().is_none_or(|a| *a == c.action)
            && self.region.as_ref().is_none_or(|r| *r == c.region)
            && self
                .body_contains
                .as_ref()
                .is_none_or(|t| String::from_utf8_lossy(body).contains(t.as_str()))
    }
}

/// What the proxy does to requests.
#[derive(Debug, Clone)]
pub struct Faults {
    pub seed: u64,
    /// The probability that a request gets one of `transient` instead of an answer.
    pub transient_rate: f64,
    /// The transient faults to choose from, evenly.
    pub transient: Vec<Transient>,
    /// The probability that a forwarded request is delayed, and the delay's range.
    pub latency_rate: f64,
    pub latency: (Duration, Duration),
    /// Calls answered with the access-denied error of their protocol.
    pub deny: Vec<Match>,
    /// The message of those denials (default: AWS's wording).
    pub deny_message: Option<String>,
    /// Calls that get no answer until the proxy is dropped (or `stall_limit` passes).
    pub stall: Vec<Match>,
    pub stall_limit: Duration,
    /// Every call answered HTTP 403 with this error code (`InvalidClientTokenId`,
    /// `ExpiredToken`), as AWS answers credentials it does not accept.
    pub reject_credentials: Option<String>,
    /// Rewrites `MaxResults=N` in query-protocol requests to this page size, so that
    /// moto pages its answers (it honours MaxResults for DescribeInstances).
    pub page_size: Option<u32>,
    /// Calls answered by the proxy itself, never sent to moto.
    pub answer: Vec<(Match, Canned)>,
    /// Calls whose answer from moto has its body rewritten.
    pub rewrite: Vec<(Match, Rewrite)>,
    /// The first N calls of each match are throttled (`Throttling` in the protocol's
    /// shape), the ones after go through: a retried call must get through.
    pub throttle_first: Vec<(Match, u32)>,
    /// `(account, n)`: the credentials AssumeRole handed out for `account` (learnt from
    /// its answers) expire after `n` calls made with them: every later call with them is
    /// answered AWS's `ExpiredToken`.
    pub expire_after: Option<(String, u32)>,
    /// AssumeRole's answers say that their credentials expire this many seconds after
    /// the answer, and calls made with them after that are answered AWS's
    /// `ExpiredToken`: a role session that ends in the middle of a scan.
    pub session_seconds: Option<u64>,
    /// The matching calls are answered this much later (after the other faults), so the
    /// calls that depend on them are made that much later.
    pub slow: Vec<(Match, Duration)>,
}

/// A rewrite of moto's answer body.
pub type Rewrite = fn(&[u8]) -> Vec<u8>;

/// An emulation of an API moto lacks, answering from the request (its call and body):
/// stateful, unlike a [`Canned`] answer (paging, filters, rate limits). `None` passes
/// the call on to moto.
pub type Responder = Arc<dyn Fn(&Call, &[u8]) -> Option<Canned> + Send + Sync>;

/// An answer given in place of moto's: a status, a content type, more headers and the
/// body, in the service's own protocol.
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Canned {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Canned {
            status: 200,
            content_type: content_type.into(),
            headers: vec![],
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            seed: 0,
            transient_rate: 0.0,
            transient: Transient::ALL.to_vec(),
            latency_rate: 0.0,
            latency: (Duration::ZERO, Duration::ZERO),
            deny: Vec::new(),
            deny_message: None,
            stall: Vec::new(),
            stall_limit: Duration::from_secs(600),
            reject_credentials: None,
            page_size: None,
            answer: Vec::new(),
            rewrite: Vec::new(),
            throttle_first: Vec::new(),
            expire_after: None,
            session_seconds: None,
            slow: Vec::new(),
        }
    }
}

impl Faults {
    /// No faults: every request goes to moto.
    pub fn none() -> Self {
        Self::default()
    }

    /// `rate` of the requests get a transient fault (throttling, 5xx, resets), and
    /// `rate` of the others a latency of up to 200 ms.
    pub fn transient(seed: u64, rate: f64) -> Self {
        Faults {
            seed,
            transient_rate: rate,
            latency_rate: rate,
            latency: (Duration::from_millis(10), Duration::from_millis(200)),
            ..Self::default()
        }
    }
}

/// One identified request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub region: String,
    pub service: String,
    pub action: String,
}

impl Call {
    /// `service:Action`, as in an IAM policy.
    pub fn name(&self) -> String {
        format!("{}:{}", self.service, self.action)
    }
}

#[derive(Default)]
struct Stats {
    /// Requests per `service:Action`, retries included.
    calls: BTreeMap<String, u64>,
    /// Requests per `region service:Action`.
    calls_in: BTreeMap<(String, String), u64>,
    /// Faults injected, per kind.
    injected: BTreeMap<String, u64>,
    /// How often each request (by content) was seen, for the fault decision.
    seen: BTreeMap<u64, u64>,
    /// Calls throttled so far, per `throttle_first` entry.
    throttled: BTreeMap<usize, u32>,
    /// Calls made so far with each access key id.
    key_calls: BTreeMap<String, u32>,
}

struct State {
    upstream: SocketAddr,
    faults: Mutex<Faults>,
    stats: Mutex<Stats>,
    /// The account of each access key id AssumeRole handed out.
    keys: Mutex<BTreeMap<String, String>>,
    /// When each access key id AssumeRole handed out expires (`session_seconds`).
    expiries: Mutex<BTreeMap<String, Instant>>,
    /// Emulated APIs, tried after the faults and before the canned answers.
    responders: Mutex<Vec<(Match, Responder)>>,
    shutdown: AtomicBool,
    request_ids: AtomicU64,
}

/// The proxy; it stops accepting when dropped, and releases stalled requests.
pub struct Proxy {
    pub endpoint: String,
    addr: SocketAddr,
    state: Arc<State>,
    accept: Option<JoinHandle<()>>,
}

impl Proxy {
    /// Starts a proxy in front of `upstream` (`http://127.0.0.1:PORT`).
    pub fn start(upstream: &str, faults: Faults) -> Proxy {
        let upstream: SocketAddr = upstream
            .strip_prefix("http://")
            .unwrap_or(upstream)
            .trim_end_matches('/')
            .parse()
            .expect("upstream is http://IP:PORT");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State {
            upstream,
            faults: Mutex::new(faults),
            stats: Mutex::new(Stats::default()),
            keys: Mutex::new(BTreeMap::new()),
            expiries: Mutex::new(BTreeMap::new()),
            responders: Mutex::new(Vec::new()),
            shutdown: AtomicBool::new(false),
            request_ids: AtomicU64::new(1),
        });
        let st = state.clone();
        let accept = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if st.shutdown.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let st = st.clone();
                std::thread::spawn(move || {
                    let _ = serve(conn, &st);
                });
            }
        });
        Proxy {
            endpoint: format!("http://{addr}"),
            addr,
            state,
            accept: Some(accept),
        }
    }

    /// Answers the calls `m` matches with `f` (an emulation of an API moto lacks).
    pub fn respond(&self, m: Match, f: Responder) {
        self.state.responders.lock().unwrap().push((m, f));
    }

    /// Replaces the faults in force (the counts are kept).
    pub fn set_faults(&self, faults: Faults) {
        *self.state.faults.lock().unwrap() = faults;
    }

    /// Forgets every count.
    pub fn reset_counts(&self) {
        *self.state.stats.lock().unwrap() = Stats::default();
    }

    /// Requests per `service:Action`, retries included.
    pub fn counts(&self) -> BTreeMap<String, u64> {
        self.state.stats.lock().unwrap().calls.clone()
    }

    /// Requests for `service:Action` in `region`.
    pub fn count_in(&self, region: &str, action: &str) -> u64 {
        let stats = self.state.stats.lock().unwrap();
        stats
            .calls_in
            .get(&(region.to_string(), action.to_string()))
            .copied()
            .unwrap_or(0)
    }

    /// Every region that saw at least one request.
    pub fn regions(&self) -> Vec<String> {
        let stats = self.state.stats.lock().unwrap();
        let mut v: Vec<String> = stats.calls_in.keys().map(|(r, _)| r.clone()).collect();
        v.dedup();
        v
    }

    /// All requests.
    pub fn total(&self) -> u64 {
        self.counts().values().sum()
    }

    /// Faults injected, per kind (`throttle`, `reset`, `deny`, `stall`, `latency`, …).
    pub fn injected(&self) -> BTreeMap<String, u64> {
        self.state.stats.lock().unwrap().injected.clone()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.state.shutdown.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
    }
}

/// A parsed HTTP/1.1 message head and body.
struct Message {
    start: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Message {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The message with `Content-Length` framing and the given connection headers.
    fn encode(&self, extra: &[(&str, String)]) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 512);
        out.extend_from_slice(self.start.as_bytes());
        out.extend_from_slice(b"\r\n");
        for (k, v) in &self.headers {
            let skip = [
                "content-length",
                "transfer-encoding",
                "connection",
                "keep-alive",
            ]
            .iter()
            .any(|h| k.eq_ignore_ascii_case(h));
            if !skip {
                out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
            }
        }
        for (k, v) in extra {
            out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
        }
        out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", self.body.len()).as_bytes());
        out.extend_from_slice(&self.body);
        out
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn parse_head(head: &[u8]) -> io::Result<(String, Vec<(String, String)>)> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let start = lines.next().unwrap_or_default().to_string();
    let headers = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_string(), v.trim().to_string()))
        })
        .collect();
    Ok((start, headers))
}

/// Decodes a chunked body; `None` while incomplete.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = find(data, b"\r\n")?;
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        if data.len() < size + 2 {
            return None;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// Reads one request from a keep-alive connection; `None` when the client closed it.
fn read_request(conn: &mut TcpStream, buf: &mut Vec<u8>) -> io::Result<Option<Message>> {
    let mut chunk = [0u8; 16 * 1024];
    loop {
        if let Some(end) = find(buf, b"\r\n\r\n") {
            let (start, headers) = parse_head(&buf[..end])?;
            let msg = Message {
                start,
                headers,
                body: Vec::new(),
            };
            let rest = &buf[end + 4..];
            let chunked = msg
                .header("transfer-encoding")
                .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
            if chunked {
                if let Some(body) = dechunk(rest) {
                    // Pipelining after a chunked body is not expected from the SDK.
                    buf.clear();
                    return Ok(Some(Message { body, ..msg }));
                }
            } else {
                let len: usize = msg
                    .header("content-length")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                if rest.len() >= len {
                    let body = rest[..len].to_vec();
                    let consumed = end + 4 + len;
                    buf.drain(..consumed);
                    return Ok(Some(Message { body, ..msg }));
                }
            }
        }
        let n = conn.read(&mut chunk)?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Sends the request to moto on a fresh connection and reads the whole answer.
fn forward(upstream: SocketAddr, req: &Message) -> io::Result<Message> {
    let mut up = TcpStream::connect_timeout(&upstream, Duration::from_secs(10))?;
    up.set_read_timeout(Some(Duration::from_secs(300)))?;
    up.write_all(&req.encode(&[("Connection", "close".into())]))?;
    let mut raw = Vec::new();
    up.read_to_end(&mut raw)?;
    let end = find(&raw, b"\r\n\r\n")
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no response head"))?;
    let (start, headers) = parse_head(&raw[..end])?;
    let mut resp = Message {
        start,
        headers,
        body: Vec::new(),
    };
    let rest = &raw[end + 4..];
    let chunked = resp
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    resp.body = if chunked {
        dechunk(rest)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "truncated chunked body"))?
    } else {
        match resp.header("content-length").and_then(|v| v.parse().ok()) {
            Some(len) if rest.len() >= len => rest[..len].to_vec(),
            _ => rest.to_vec(),
        }
    };
    Ok(resp)
}

/// The wire protocol of a request, which decides the shape of an error answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocol {
    /// awsQuery (IAM, STS): XML `ErrorResponse`.
    Query,
    /// ec2Query: XML `Response/Errors/Error`.
    Ec2,
    /// awsJson 1.0/1.1 (Budgets): `X-Amz-Target`.
    Json,
    /// restJson1 (GuardDuty).
    RestJson,
    /// Smithy RPC v2 CBOR (CloudWatch).
    Cbor,
}

fn form_param<'a>(body: &'a str, name: &str) -> Option<&'a str> {
    body.split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Region, service, action and protocol of a request.
fn identify(req: &Message) -> (Call, Protocol) {
    let (region, service) = req
        .header("authorization")
        .and_then(|a| {
            let cred = a.split("Credential=").nth(1)?;
            let cred = cred.split([',', ' ']).next()?;
            let parts: Vec<&str> = cred.split('/').collect();
            (parts.len() >= 5).then(|| (parts[2].to_string(), parts[3].to_string()))
        })
        .unwrap_or_else(|| ("unknown".into(), "unknown".into()));
    let mut parts = req.start.split(' ');
    let method = parts.next().unwrap_or("GET").to_string();
    let target = parts.next().unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/");
    let body = String::from_utf8_lossy(&req.body);
    let (action, protocol) = if let Some(t) = req.header("x-amz-target") {
        (
            t.rsplit('.').next().unwrap_or(t).to_string(),
            Protocol::Json,
        )
    } else if let Some(op) = path.split("/operation/").nth(1) {
        (op.to_string(), Protocol::Cbor)
    } else if let Some(a) = form_param(&body, "Action") {
        let p = if service == "ec2" {
            Protocol::Ec2
        } else {
            Protocol::Query
        };
        (a.to_string(), p)
    } else {
        (rest_action(&service, &method, path), Protocol::RestJson)
    };
    (
        Call {
            region,
            service,
            action,
        },
        protocol,
    )
}

/// The action of a REST request (GuardDuty's, SES v2's and the Account API's, which hiyari calls),
/// else `METHOD /first`.
fn rest_action(service: &str, method: &str, path: &str) -> String {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match (service, method, segs.as_slice()) {
        ("guardduty", "GET", ["detector"]) => "ListDetectors".into(),
        ("guardduty", "POST", ["detector"]) => "CreateDetector".into(),
        ("guardduty", "GET", ["detector", _]) => "GetDetector".into(),
        ("guardduty", "POST", ["detector", _, "findings"]) => "ListFindings".into(),
        ("guardduty", "POST", ["detector", _, "findings", "statistics"]) => {
            "GetFindingsStatistics".into()
        }
        ("ses", "GET", ["v2", "email", "account"]) => "GetAccount".into(),
        ("account", "POST", ["getAlternateContact"]) => "GetAlternateContact".into(),
        ("account", "POST", ["putAlternateContact"]) => "PutAlternateContact".into(),
        ("lambda", "GET", ["2015-03-31", "functions"]) => "ListFunctions".into(),
        ("lambda", "POST", ["2015-03-31", "functions"]) => "CreateFunction".into(),
        _ => format!("{method} /{}", segs.first().unwrap_or(&"")),
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An error answer in the protocol's own shape.
fn error_response(
    protocol: Protocol,
    status: u16,
    code: &str,
    message: &str,
    request_id: &str,
) -> Message {
    let reason = match status {
        400 => "Bad Request",
        403 => "Forbidden",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Error",
    };
    let mut headers = vec![("x-amzn-RequestId".to_string(), request_id.to_string())];
    let body = match protocol {
        Protocol::Query => {
            headers.push(("Content-Type".into(), "text/xml".into()));
            format!(
                "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>{}</Type><Code>{}</Code><Message>{}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>",
                if status >= 500 { "Receiver" } else { "Sender" },
                xml_escape(code),
                xml_escape(message)
            )
            .into_bytes()
        }
        Protocol::Ec2 => {
            headers.push(("Content-Type".into(), "text/xml;charset=UTF-8".into()));
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{}</Code><Message>{}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>",
                xml_escape(code),
                xml_escape(message)
            )
            .into_bytes()
        }
        Protocol::Json | Protocol::RestJson => {
            headers.push(("x-amzn-ErrorType".into(), code.to_string()));
            headers.push((
                "Content-Type".into(),
                if protocol == Protocol::Json {
                    "application/x-amz-json-1.1".into()
                } else {
                    "application/json".into()
                },
            ));
            serde_json::json!({"__type": code, "message": message, "Message": message})
                .to_string()
                .into_bytes()
        }
        // No CBOR encoder here: the status alone carries the fault.
        Protocol::Cbor => Vec::new(),
    };
    Message {
        start: format!("HTTP/1.1 {status} {reason}"),
        headers,
        body,
    }
}

fn fnv(data: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in data {
        for b in *part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A uniform number in [0, 1) from `x`.
fn unit(x: u64) -> f64 {
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// Resets the connection: SO_LINGER 0, then close, so the peer reads ECONNRESET.
fn reset(conn: TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket descriptor and a correctly sized linger struct.
    unsafe {
        libc::setsockopt(
            conn.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            &linger as *const libc::linger as *const libc::c_void,
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
    drop(conn);
}

enum Outcome {
    Answer(Message),
    Reset,
    Stall(Duration),
}

fn decide(st: &State, req: &mut Message) -> Outcome {
    let (call, protocol) = identify(req);
    let faults = st.faults.lock().unwrap().clone();
    let request_id = format!(
        "proxy-{:08}",
        st.request_ids.fetch_add(1, Ordering::Relaxed)
    );
    let content_key = fnv(&[
        call.region.as_bytes(),
        call.service.as_bytes(),
        req.start.as_bytes(),
        &req.body,
    ]);
    let seen = {
        let mut stats = st.stats.lock().unwrap();
        *stats.calls.entry(call.name()).or_default() += 1;
        *stats
            .calls_in
            .entry((call.region.clone(), call.name()))
            .or_default() += 1;
        let n = stats.seen.entry(content_key).or_default();
        *n += 1;
        *n
    };
    let note = |kind: &str| {
        *st.stats
            .lock()
            .unwrap()
            .injected
            .entry(kind.to_string())
            .or_default() += 1;
    };

    if let Some(code) = &faults.reject_credentials {
        note("reject-credentials");
        let message = match code.as_str() {
            "ExpiredToken" => "The security token included in the request is expired",
            _ => "The security token included in the request is invalid.",
        };
        return Outcome::Answer(error_response(protocol, 403, code, message, &request_id));
    }
    let signing_key = req
        .header("authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split('/').next())
        .unwrap_or_default()
        .to_string();
    // The key is past its stated expiry (`session_seconds`), or past its count of
    // calls (`expire_after`): AWS's answer to an expired session token.
    let past_expiry = st
        .expiries
        .lock()
        .unwrap()
        .get(&signing_key)
        .is_some_and(|at| Instant::now() > *at);
    let past_count = faults.expire_after.as_ref().is_some_and(|(account, n)| {
        let of_account = st.keys.lock().unwrap().get(&signing_key) == Some(account);
        let mut stats = st.stats.lock().unwrap();
        of_account && {
            let used = stats.key_calls.entry(signing_key.clone()).or_default();
            *used += 1;
            *used > *n
        }
    });
    if past_expiry || past_count {
        note("expired");
        let code = match protocol {
            Protocol::Ec2 | Protocol::Query => "ExpiredToken",
            _ => "ExpiredTokenException",
        };
        return Outcome::Answer(error_response(
            protocol,
            400,
            code,
            "The security token included in the request is expired",
            &request_id,
        ));
    }
    let throttle = faults
        .throttle_first
        .iter()
        .enumerate()
        .find(|(_, (m, _))| m.matches(&call, &req.body))
        .map(|(i, (_, n))| (i, *n));
    if let Some((i, n)) = throttle {
        let mut stats = st.stats.lock().unwrap();
        let done = stats.throttled.entry(i).or_default();
        if *done < n {
            *done += 1;
            drop(stats);
            note("throttle-first");
            let (status, code) = match protocol {
                Protocol::Ec2 => (503, "RequestLimitExceeded"),
                Protocol::Query => (400, "Throttling"),
                _ => (400, "ThrottlingException"),
            };
            return Outcome::Answer(error_response(
                protocol,
                status,
                code,
                "Rate exceeded",
                &request_id,
            ));
        }
    }
    if faults.deny.iter().any(|m| m.matches(&call, &req.body)) {
        note("deny");
        let (code, default_message) = match protocol {
            Protocol::Ec2 => (
                "UnauthorizedOperation",
                "You are not authorized to perform this operation.".to_string(),
            ),
            Protocol::Query => (
                "AccessDenied",
                format!(
                    "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: {}",
                    call.name()
                ),
            ),
            _ => (
                "AccessDeniedException",
                format!(
                    "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: {}",
                    call.name()
                ),
            ),
        };
        let message = faults.deny_message.clone().unwrap_or(default_message);
        return Outcome::Answer(error_response(protocol, 403, code, &message, &request_id));
    }
    if faults.stall.iter().any(|m| m.matches(&call, &req.body)) {
        note("stall");
        return Outcome::Stall(faults.stall_limit);
    }

    let roll = splitmix(faults.seed ^ splitmix(content_key ^ seen));
    if !faults.transient.is_empty() && unit(roll) < faults.transient_rate {
        let kind = faults.transient[(splitmix(roll) % faults.transient.len() as u64) as usize];
        note(kind.name());
        let answer = |status, code: &str, message: &str| {
            Outcome::Answer(error_response(protocol, status, code, message, &request_id))
        };
        return match kind {
            Transient::Throttle => match protocol {
                Protocol::Ec2 => answer(503, "RequestLimitExceeded", "Request limit exceeded."),
                Protocol::Query => answer(400, "Throttling", "Rate exceeded"),
                _ => answer(400, "ThrottlingException", "Rate exceeded"),
            },
            Transient::SlowDown => answer(503, "SlowDown", "Please reduce your request rate."),
            Transient::InternalError => match protocol {
                Protocol::Ec2 | Protocol::Query => answer(
                    500,
                    "InternalError",
                    "An internal error has occurred. Retry your request.",
                ),
                _ => answer(500, "InternalFailure", "An internal error has occurred."),
            },
            Transient::Unavailable => answer(
                503,
                "ServiceUnavailable",
                "The service is unavailable. Please try again shortly.",
            ),
            Transient::Reset => Outcome::Reset,
        };
    }
    if unit(splitmix(roll ^ 0x5555)) < faults.latency_rate {
        note("latency");
        let (lo, hi) = faults.latency;
        let span = hi.saturating_sub(lo).as_millis() as u64;
        let extra = if span == 0 {
            0
        } else {
            splitmix(roll ^ 0xaaaa) % span
        };
        std::thread::sleep(lo + Duration::from_millis(extra));
    }
    if let Some((_, delay)) = faults
        .slow
        .iter()
        .find(|(m, _)| m.matches(&call, &req.body))
    {
        note("slow");
        std::thread::sleep(*delay);
    }
    if let Some(n) = faults.page_size {
        if matches!(protocol, Protocol::Ec2 | Protocol::Query) {
            let body = String::from_utf8_lossy(&req.body).into_owned();
            let rewritten: Vec<String> = body
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some(("MaxResults", _)) => format!("MaxResults={n}"),
                    _ => kv.to_string(),
                })
                .collect();
            req.body = rewritten.join("&").into_bytes();
        }
    }
    let responder = st
        .responders
        .lock()
        .unwrap()
        .iter()
        .find(|(m, _)| m.matches(&call, &req.body))
        .map(|(_, f)| f.clone());
    let emulated = responder.and_then(|f| f(&call, &req.body));
    if let Some(c) = emulated.as_ref().or_else(|| {
        faults
            .answer
            .iter()
            .find(|(m, _)| m.matches(&call, &req.body))
            .map(|(_, c)| c)
    }) {
        note("canned");
        let reason = if c.status == 200 { "OK" } else { "Error" };
        let mut headers = vec![
            ("Content-Type".to_string(), c.content_type.clone()),
            ("x-amzn-RequestId".to_string(), request_id.clone()),
        ];
        headers.extend(c.headers.iter().cloned());
        return Outcome::Answer(Message {
            start: format!("HTTP/1.1 {} {reason}", c.status),
            headers,
            body: c.body.clone(),
        });
    }
    let rewrite = faults
        .rewrite
        .iter()
        .find(|(m, _)| m.matches(&call, &req.body))
        .map(|(_, f)| *f);
    match forward(st.upstream, req) {
        Ok(mut resp) => {
            if let Some(f) = rewrite {
                note("rewrite");
                resp.body = f(&resp.body);
            }
            if call.action == "AssumeRole" {
                if let Some(secs) = faults.session_seconds {
                    resp.body = expiring(st, &resp.body, secs);
                }
                learn_key(st, &resp.body);
            }
            Outcome::Answer(resp)
        }
        Err(e) => Outcome::Answer(error_response(
            protocol,
            502,
            "ProxyUpstreamError",
            &format!("the proxy could not reach moto: {e}"),
            &request_id,
        )),
    }
}

/// An AssumeRole answer whose credentials expire `secs` from now, remembered for the
/// calls made with them.
fn expiring(st: &State, body: &[u8], secs: u64) -> Vec<u8> {
    let xml = String::from_utf8_lossy(body).to_string();
    let at = time::OffsetDateTime::now_utc() + time::Duration::seconds(secs as i64);
    let stamp = at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let (Some(open), Some(close)) = (xml.find("<Expiration>"), xml.find("</Expiration>")) else {
        return body.to_vec();
    };
    let rewritten = format!("{}<Expiration>{stamp}{}", &xml[..open], &xml[close..]);
    if let Some(key) = rewritten
        .split("<AccessKeyId>")
        .nth(1)
        .and_then(|r| r.split("</AccessKeyId>").next())
    {
        st.expiries
            .lock()
            .unwrap()
            .insert(key.to_string(), Instant::now() + Duration::from_secs(secs));
    }
    rewritten.into_bytes()
}

/// Remembers whose credentials an AssumeRole answer holds: its `AccessKeyId` and the
/// account of its `AssumedRoleUser` ARN.
fn learn_key(st: &State, body: &[u8]) {
    let xml = String::from_utf8_lossy(body);
    let between = |open: &str, close: &str| {
        let start = xml.find(open)? + open.len();
        let end = xml[start..].find(close)? + start;
        Some(xml[start..end].to_string())
    };
    let (Some(key), Some(arn)) = (
        between("<AccessKeyId>", "</AccessKeyId>"),
        between("<Arn>", "</Arn>"),
    ) else {
        return;
    };
    if let Some(account) = arn.split(':').nth(4) {
        st.keys.lock().unwrap().insert(key, account.to_string());
    }
}

fn serve(mut conn: TcpStream, st: &State) -> io::Result<()> {
    let mut buf = Vec::new();
    loop {
        let Some(mut req) = read_request(&mut conn, &mut buf)? else {
            return Ok(());
        };
        let close = req
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        match decide(st, &mut req) {
            Outcome::Answer(resp) => {
                conn.write_all(&resp.encode(&[]))?;
                conn.flush()?;
            }
            Outcome::Reset => {
                reset(conn);
                return Ok(());
            }
            Outcome::Stall(limit) => {
                let until = Instant::now() + limit;
                while Instant::now() < until && !st.shutdown.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(50));
                }
                let _ = conn.shutdown(Shutdown::Both);
                return Ok(());
            }
        }
        if close {
            return Ok(());
        }
    }
}
