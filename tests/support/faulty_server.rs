//! A misbehaving HTTP/1.1 server on loopback, for the faults httpmock cannot
//! make: connections closed or reset mid-exchange, bodies shorter than their
//! `Content-Length`, bytes trickled slower than any timeout, floods.
//!
//! Each request the server reads completely counts as one attempt. Attempt
//! `n` (0-based) gets `replies[n]`, or the last reply once the list runs
//! out. A reply is a list of [`Step`]s written as raw bytes; one that ends
//! without [`Step::Close`] or [`Step::Reset`] keeps the connection open for
//! the next request (keep-alive, as a real server would).
//!
//! Everything is bounded: connections accepted, requests per connection,
//! request size, and the lifetime of a connection. Dropping the server stops
//! it and every connection it holds.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::{AbortHandle, JoinSet};

/// At most this many connections are accepted.
const MAX_CONNECTIONS: usize = 64;
/// At most this many requests are served on one connection.
const MAX_REQUESTS_PER_CONNECTION: usize = 32;
/// A request (head and body) larger than this ends the connection.
const MAX_REQUEST_BYTES: usize = 1024 * 1024;
/// No connection lives longer than this.
const MAX_CONNECTION_LIFETIME: Duration = Duration::from_secs(20);
/// The send buffer of every connection (the kernel may double it).
const SEND_BUFFER: u32 = 64 * 1024;
/// The chunk size of [`Step::Flood`].
const FLOOD_CHUNK: usize = 16 * 1024;

/// One thing the server does after reading a request.
#[derive(Clone, Debug)]
pub enum Step {
    /// Writes these bytes at once.
    Send(Vec<u8>),
    /// Writes the bytes this function makes when the step runs (for
    /// content that depends on the time, such as an HTTP date).
    Generate(fn() -> Vec<u8>),
    /// Writes these bytes one at a time, `every` apart.
    Trickle(Vec<u8>, Duration),
    /// Writes this many filler bytes (`x`) in 16 KiB chunks and records, in
    /// [`FaultyServer::floods`], how many got out before the peer hung up.
    Flood(usize),
    /// Closes the connection gracefully (FIN), reading nothing more.
    Close,
    /// Aborts the connection: `SO_LINGER` 0, then close, so the peer gets a RST.
    Reset,
}

/// What the server does for one request.
#[derive(Clone, Debug)]
pub struct Reply(pub Vec<Step>);

impl Reply {
    /// A complete, well-formed response.
    pub fn full(status: u16, headers: &[(&str, &str)], body: impl AsRef<[u8]>) -> Reply {
        let body = body.as_ref();
        let mut bytes = head(status, headers, Some(body.len()));
        bytes.extend_from_slice(body);
        Reply(vec![Step::Send(bytes)])
    }

    /// Reads the request, then closes the connection without a status line.
    pub fn close_before_status() -> Reply {
        Reply(vec![Step::Close])
    }

    /// Reads the request, then resets the connection.
    pub fn reset_after_request() -> Reply {
        Reply(vec![Step::Reset])
    }

    /// Announces `content_length` bytes, sends only `body`, then closes.
    pub fn short_body(status: u16, content_length: usize, body: &[u8]) -> Reply {
        assert!(body.len() < content_length, "the body must be short");
        let mut bytes = head(status, &[], Some(content_length));
        bytes.extend_from_slice(body);
        Reply(vec![Step::Send(bytes), Step::Close])
    }

    /// A whole response (status line, headers, body) sent one byte every `every`.
    pub fn trickled_head(status: u16, body: &[u8], every: Duration) -> Reply {
        let mut bytes = head(status, &[("x-padding", "abcdefghijklmnopqrstuvwxyz")], None);
        bytes.truncate(bytes.len() - 2);
        bytes.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
        bytes.extend_from_slice(body);
        Reply(vec![Step::Trickle(bytes, every), Step::Close])
    }

    /// The head at once, then `body` one byte every `every`.
    pub fn trickled_body(status: u16, body: &[u8], every: Duration) -> Reply {
        Reply(vec![
            Step::Send(head(status, &[], Some(body.len()))),
            Step::Trickle(body.to_vec(), every),
            Step::Close,
        ])
    }

    /// A JSON head with no length (the body ends when the connection
    /// does), then `len` filler bytes: a body that, for the client, never
    /// ends.
    pub fn endless(status: u16, len: usize) -> Reply {
        Reply(vec![
            Step::Send(head(
                status,
                &[
                    ("content-type", "application/json"),
                    ("connection", "close"),
                ],
                None,
            )),
            Step::Flood(len),
            Step::Close,
        ])
    }

    /// A head announcing `len` bytes, then `len` filler bytes.
    pub fn flood(status: u16, len: usize) -> Reply {
        Reply(vec![
            Step::Send(head(status, &[("content-type", "text/plain")], Some(len))),
            Step::Flood(len),
            Step::Close,
        ])
    }
}

/// A status line and headers, ending with the empty line; with a
/// `Content-Length` when `content_length` is given.
pub fn head(status: u16, headers: &[(&str, &str)], content_length: Option<usize>) -> Vec<u8> {
    let reason = match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Whatever",
    };
    let mut text = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(len) = content_length {
        text.push_str(&format!("content-length: {len}\r\n"));
    }
    text.push_str("\r\n");
    text.into_bytes()
}

/// How one [`Step::Flood`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flood {
    /// Bytes the server meant to write.
    pub total: usize,
    /// Bytes the kernel accepted before the peer hung up (or all of them).
    pub written: usize,
    /// Whether a write failed because the peer closed or reset the connection.
    pub peer_hung_up: bool,
}

/// A request as the server read it.
#[derive(Clone, Debug)]
pub struct Request {
    /// The request line and headers, as text (lossy).
    pub head: String,
    /// The body.
    pub body: Vec<u8>,
    /// When the server finished reading it.
    pub at: Instant,
}

impl Request {
    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    /// The request line, e.g. `POST /path HTTP/1.1`.
    pub fn line(&self) -> &str {
        self.head.lines().next().unwrap_or("")
    }
}

#[derive(Default)]
struct State {
    connections: AtomicUsize,
    open: AtomicUsize,
    requests: Mutex<Vec<Request>>,
    floods: Mutex<Vec<Flood>>,
}

/// The running server; dropping it stops it.
pub struct FaultyServer {
    address: std::net::SocketAddr,
    state: Arc<State>,
    accept: AbortHandle,
}

impl FaultyServer {
    /// Starts a server on 127.0.0.1, on a free port, on the current runtime.
    pub async fn start(replies: Vec<Reply>) -> FaultyServer {
        assert!(
            !replies.is_empty(),
            "a faulty server needs at least one reply"
        );
        let socket = TcpSocket::new_v4().expect("a TCP socket");
        // Accepted connections inherit a small send buffer, so what a flood
        // gets out is what the client read (or buffered), not what the
        // kernel could hold: a client that stops reading stops the flood.
        let _ = socket.set_send_buffer_size(SEND_BUFFER);
        socket
            .bind("127.0.0.1:0".parse().unwrap())
            .expect("bind loopback");
        let listener = socket.listen(64).expect("listen");
        let address = listener.local_addr().expect("local address");
        let state = Arc::new(State::default());
        let replies = Arc::new(replies);
        let accept = tokio::spawn(accept_loop(listener, state.clone(), replies)).abort_handle();
        FaultyServer {
            address,
            state,
            accept,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// How many requests were read completely (the attempts the server saw).
    pub fn attempts(&self) -> usize {
        self.state.requests.lock().unwrap().len()
    }

    /// The requests read so far.
    pub fn requests(&self) -> Vec<Request> {
        self.state.requests.lock().unwrap().clone()
    }

    /// How many connections were accepted.
    pub fn connections(&self) -> usize {
        self.state.connections.load(Ordering::SeqCst)
    }

    /// How every [`Step::Flood`] so far ended.
    pub fn floods(&self) -> Vec<Flood> {
        self.state.floods.lock().unwrap().clone()
    }

    /// Waits (at most `limit`) until no connection is open any more; returns
    /// whether that happened.
    pub async fn wait_until_idle(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while self.state.open.load(Ordering::SeqCst) > 0 {
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        true
    }
}

impl Drop for FaultyServer {
    fn drop(&mut self) {
        // The accept task owns the connection tasks (a JoinSet): aborting it
        // drops them all.
        self.accept.abort();
    }
}

async fn accept_loop(listener: TcpListener, state: Arc<State>, replies: Arc<Vec<Reply>>) {
    let mut connections = JoinSet::new();
    while state.connections.load(Ordering::SeqCst) < MAX_CONNECTIONS {
        let Ok((stream, _)) = listener.accept().await else {
            break;
        };
        state.connections.fetch_add(1, Ordering::SeqCst);
        state.open.fetch_add(1, Ordering::SeqCst);
        let open = OpenGuard(state.clone());
        let state = state.clone();
        let replies = replies.clone();
        connections.spawn(async move {
            let _open = open;
            let _ = tokio::time::timeout(MAX_CONNECTION_LIFETIME, serve(stream, &state, &replies))
                .await;
        });
        // Reap finished connections so the set does not grow.
        while connections.try_join_next().is_some() {}
    }
    // Keep serving the connections already accepted.
    while connections.join_next().await.is_some() {}
}

/// Decrements the open-connection count when the connection task ends,
/// including when it is aborted.
struct OpenGuard(Arc<State>);

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn serve(mut stream: TcpStream, state: &State, replies: &[Reply]) {
    let mut buffer = Vec::new();
    for _ in 0..MAX_REQUESTS_PER_CONNECTION {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let index = {
            let mut requests = state.requests.lock().unwrap();
            requests.push(request);
            requests.len() - 1
        };
        let reply = &replies[index.min(replies.len() - 1)];
        for step in &reply.0 {
            match step {
                Step::Send(bytes) => {
                    if stream.write_all(bytes).await.is_err() {
                        return;
                    }
                }
                Step::Generate(make) => {
                    if stream.write_all(&make()).await.is_err() {
                        return;
                    }
                }
                Step::Trickle(bytes, every) => {
                    for byte in bytes {
                        if stream.write_all(&[*byte]).await.is_err() {
                            return;
                        }
                        let _ = stream.flush().await;
                        tokio::time::sleep(*every).await;
                    }
                }
                Step::Flood(total) => {
                    let chunk = vec![b'x'; FLOOD_CHUNK];
                    let mut written = 0;
                    let mut peer_hung_up = false;
                    while written < *total {
                        let n = (*total - written).min(FLOOD_CHUNK);
                        match stream.write(&chunk[..n]).await {
                            Ok(0) | Err(_) => {
                                peer_hung_up = true;
                                break;
                            }
                            Ok(n) => written += n,
                        }
                    }
                    state.floods.lock().unwrap().push(Flood {
                        total: *total,
                        written,
                        peer_hung_up,
                    });
                    if peer_hung_up {
                        return;
                    }
                }
                Step::Close => {
                    let _ = stream.shutdown().await;
                    return;
                }
                Step::Reset => {
                    let _ = stream.set_zero_linger();
                    drop(stream);
                    return;
                }
            }
        }
    }
}

/// Reads one request (head up to the empty line, then `Content-Length`
/// bytes of body). `buffer` carries bytes read past the end of a request
/// over to the next. `None` when the peer closes, or the request is too big
/// or malformed.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Request> {
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = find(buffer, b"\r\n\r\n") {
            break at + 4;
        }
        if buffer.len() > MAX_REQUEST_BYTES {
            return None;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    if length > MAX_REQUEST_BYTES {
        return None;
    }
    while buffer.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    Some(Request {
        head,
        body,
        at: Instant::now(),
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A base URL on 127.0.0.1 where nothing listens (a port bound, then freed).
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("local address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
