//! A loopback HTTP server that answers AWS calls with a function of the
//! request: the pages moto cannot give (IAM's markers and truncated listings,
//! CloudTrail's LookupEvents). The SDK talks to it over real HTTP, so its
//! wire formats (IAM's query XML, CloudTrail's JSON) are parsed as from AWS.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// One request as the stub saw it.
#[derive(Debug, Clone)]
pub struct Request {
    /// IAM's `Action`, or the operation of CloudTrail's `X-Amz-Target`.
    pub action: String,
    /// Form parameters (IAM) or top-level string members of the JSON body.
    pub params: BTreeMap<String, String>,
    /// The body, as sent.
    pub body: String,
    /// The access key id the request is signed with (`Credential=…/`).
    pub key: String,
    /// When it arrived.
    pub at: Instant,
}

impl Request {
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params.get(key).map(String::as_str)
    }

    /// The body as JSON (CloudTrail).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// An answer: status, content type and body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// The server; it stops when dropped.
pub struct Stub {
    pub url: String,
    log: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    port: u16,
}

impl Stub {
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("address").port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        {
            let (log, stop) = (log.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (log, handler) = (log.clone(), handler.clone());
                    std::thread::spawn(move || serve(stream, &*handler, &log));
                }
            });
        }
        Stub {
            url: format!("http://127.0.0.1:{port}"),
            log,
            stop,
            port,
        }
    }

    /// Every request so far, in order of arrival.
    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().expect("log").clone()
    }

    /// How many requests named `action`.
    pub fn calls(&self, action: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.action == action)
            .count()
    }

    /// How many requests named `action` with `key` = `value`.
    pub fn calls_with(&self, action: &str, key: &str, value: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.action == action && r.param(key) == Some(value))
            .count()
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Answers the requests of one connection (HTTP/1.1, kept alive).
fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Request>>) {
    let mut writer = match stream.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut length = 0usize;
        let mut target = None;
        let mut key = String::new();
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("authorization") {
                    if let Some((_, rest)) = value.split_once("Credential=") {
                        key = rest.split('/').next().unwrap_or_default().to_string();
                    }
                } else if name.eq_ignore_ascii_case("x-amz-target") {
                    target = Some(value.rsplit('.').next().unwrap_or(value).to_string());
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let body = String::from_utf8_lossy(&body).into_owned();
        let (action, params) = match target {
            Some(op) => (op, json_params(&body)),
            None => {
                let params = form(&body);
                (params.get("Action").cloned().unwrap_or_default(), params)
            }
        };
        let request = Request {
            action,
            params,
            body,
            key,
            at: Instant::now(),
        };
        log.lock().expect("log").push(request.clone());
        let reply = handler(&request);
        let head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nx-amzn-RequestId: stub-{}\r\n\r\n",
            reply.status,
            if reply.status < 300 { "OK" } else { "Error" },
            reply.content_type,
            reply.body.len(),
            log.lock().expect("log").len(),
        );
        // One write: a head and a body written apart wait out the peer's
        // delayed acknowledgement (Nagle), tens of milliseconds a call.
        let mut answer = head.into_bytes();
        answer.extend_from_slice(reply.body.as_bytes());
        if writer.write_all(&answer).is_err() || writer.flush().is_err() {
            return;
        }
    }
}

fn form(body: &str) -> BTreeMap<String, String> {
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn json_params(body: &str) -> BTreeMap<String, String> {
    let value: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    value
        .as_object()
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// `application/x-www-form-urlencoded` decoding.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Standard base64 with padding (IAM sends the credential report so).
pub fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// IAM's answer to `action`: `result` inside `<ActionResult>`.
pub fn iam_ok(action: &str, result: &str) -> Reply {
    Reply {
        status: 200,
        content_type: "text/xml",
        body: format!(
            "<{action}Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></{action}Response>"
        ),
    }
}

/// IAM's error document.
pub fn iam_error(status: u16, code: &str, message: &str) -> Reply {
    Reply {
        status,
        content_type: "text/xml",
        body: format!(
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>stub</RequestId></ErrorResponse>"
        ),
    }
}

/// `<Tag><member>…</member>…</Tag>`.
pub fn members<I: IntoIterator<Item = String>>(tag: &str, items: I) -> String {
    let inner: String = items
        .into_iter()
        .map(|i| format!("<member>{i}</member>"))
        .collect();
    format!("<{tag}>{inner}</{tag}>")
}

/// The end of a page: truncated with a marker, truncated without one (a page
/// that makes no sense), or the last page.
pub fn more(marker: Option<&str>, truncated: bool) -> String {
    match (truncated, marker) {
        (true, Some(m)) => format!("<IsTruncated>true</IsTruncated><Marker>{m}</Marker>"),
        (true, None) => "<IsTruncated>true</IsTruncated>".to_string(),
        (false, _) => "<IsTruncated>false</IsTruncated>".to_string(),
    }
}

/// CloudTrail's JSON answer.
pub fn json_ok(value: &serde_json::Value) -> Reply {
    Reply {
        status: 200,
        content_type: "application/x-amz-json-1.1",
        body: value.to_string(),
    }
}

/// CloudTrail's JSON error.
pub fn json_error(status: u16, code: &str, message: &str) -> Reply {
    Reply {
        status,
        content_type: "application/x-amz-json-1.1",
        body: serde_json::json!({"__type": code, "message": message}).to_string(),
    }
}

/// Static credentials for the stub (it checks no signature).
fn credentials() -> aws_sdk_iam::config::Credentials {
    aws_sdk_iam::config::Credentials::new("AKIASTUBSTUBSTUBSTUB", "stub-secret", None, None, "stub")
}

/// A client of the stub: static credentials, us-east-1, no retries (a stub's
/// error is meant as the final answer).
pub fn iam_client(stub: &Stub) -> aws_sdk_iam::Client {
    use aws_sdk_iam::config::{BehaviorVersion, Region};
    let config = aws_sdk_iam::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(&stub.url)
        .credentials_provider(credentials())
        .retry_config(aws_sdk_iam::config::retry::RetryConfig::disabled())
        .build();
    aws_sdk_iam::Client::from_conf(config)
}

/// A CloudTrail client of the stub.
pub fn cloudtrail_client(stub: &Stub) -> aws_sdk_cloudtrail::Client {
    use aws_sdk_cloudtrail::config::{BehaviorVersion, Region};
    let config = aws_sdk_cloudtrail::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(&stub.url)
        .credentials_provider(credentials())
        .retry_config(aws_sdk_cloudtrail::config::retry::RetryConfig::disabled())
        .build();
    aws_sdk_cloudtrail::Client::from_conf(config)
}
