//! Waiting for another thread of the same comparison without going to
//! sleep.
//!
//! A thread that blocks (a join, a channel receive) lets its CPU go idle,
//! and on a virtual machine an idle virtual CPU can take a millisecond or
//! more to run the thread again when it is woken. spec-diff's waits are a
//! few milliseconds long and on its critical path, so the waiting thread
//! polls instead, yielding its CPU to any other runnable thread each time,
//! for at most [`SPIN_LIMIT`]; a longer wait (a spec of many megabytes)
//! then blocks as usual.

use std::sync::mpsc::{Receiver, RecvError, TryRecvError};
use std::thread::ScopedJoinHandle;
use std::time::{Duration, Instant};

/// How long a wait polls before it blocks.
pub const SPIN_LIMIT: Duration = Duration::from_millis(50);

/// Polls `done` until it holds or [`SPIN_LIMIT`] has passed.
fn poll(mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() && start.elapsed() < SPIN_LIMIT {
        std::thread::yield_now();
    }
}

/// Joins `handle`, polling while the thread runs.
pub fn join<'scope, T>(handle: ScopedJoinHandle<'scope, T>) -> std::thread::Result<T> {
    poll(|| handle.is_finished());
    handle.join()
}

/// Receives from `receiver`, polling while nothing has been sent.
pub fn recv<T>(receiver: &Receiver<T>) -> Result<T, RecvError> {
    let mut received = None;
    poll(|| match receiver.try_recv() {
        Ok(value) => {
            received = Some(Ok(value));
            true
        }
        Err(TryRecvError::Disconnected) => {
            received = Some(Err(RecvError));
            true
        }
        Err(TryRecvError::Empty) => false,
    });
    received.unwrap_or_else(|| receiver.recv())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recv_returns_what_is_sent_later_and_sees_a_closed_channel() {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            scope.spawn(move || {
                std::thread::sleep(Duration::from_millis(5));
                let _ = sender.send(7);
            });
            assert_eq!(recv(&receiver), Ok(7));
            // The sender is gone once the thread ends.
            assert_eq!(recv(&receiver), Err(RecvError));
        });
    }

    #[test]
    fn join_returns_the_result_and_a_panic() {
        std::thread::scope(|scope| {
            let slow = scope.spawn(|| {
                std::thread::sleep(Duration::from_millis(5));
                41 + 1
            });
            assert_eq!(join(slow).ok(), Some(42));
            let crashed = scope.spawn(|| -> u8 { panic!("crash in a test thread") });
            assert!(join(crashed).is_err());
        });
    }

    #[test]
    fn a_long_wait_falls_back_to_blocking() {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            scope.spawn(move || {
                std::thread::sleep(SPIN_LIMIT + Duration::from_millis(20));
                let _ = sender.send("late");
            });
            assert_eq!(recv(&receiver), Ok("late"));
        });
    }
}
