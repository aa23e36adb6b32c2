//! A webhook receiver on 127.0.0.1 for the tests: records every request
//! and answers with the status the test chose (e.g. 500 for the first N).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One received request.
#[derive(Clone, Debug)]
pub struct Received {
    /// Lower-case header names.
    pub headers: HashMap<String, String>,
    /// The raw body.
    pub body: Vec<u8>,
    /// The status answered.
    pub answered: u16,
}

/// The receiver; it serves until the test process ends.
pub struct Receiver {
    /// `http://127.0.0.1:PORT/hook`.
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    fail_first: Arc<AtomicUsize>,
    status_after: Arc<AtomicU16>,
}

impl Receiver {
    /// Answers 500 to the first `fail_first` requests, then 200.
    pub fn start(fail_first: usize) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let fail_first = Arc::new(AtomicUsize::new(fail_first));
        let status_after = Arc::new(AtomicU16::new(200));
        let (log, fails, after) = (received.clone(), fail_first.clone(), status_after.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut headers = HashMap::new();
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':') {
                        headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
                    }
                }
                let length: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
                let mut body = vec![0u8; length];
                let _ = reader.read_exact(&mut body);
                let status = if fails.load(Ordering::SeqCst) > 0 {
                    fails.fetch_sub(1, Ordering::SeqCst);
                    500
                } else {
                    after.load(Ordering::SeqCst)
                };
                log.lock().expect("log").push(Received { headers, body, answered: status });
                let _ = write!(stream, "HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
            }
        });
        Self { url, received, fail_first, status_after }
    }

    /// From now on answer `status` (after any remaining failures).
    pub fn answer(&self, status: u16) {
        self.status_after.store(status, Ordering::SeqCst);
        self.fail_first.store(0, Ordering::SeqCst);
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("log").clone()
    }

    /// Waits until `count` requests arrived.
    pub fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let got = self.received();
            if got.len() >= count {
                return got;
            }
            assert!(started.elapsed() < timeout, "only {} of {count} webhook requests arrived", got.len());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
