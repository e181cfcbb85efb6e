//! Audit lines waiting to be written together ([`super::record`]).

use super::entry::AuditEntry;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::oneshot;

/// How the write that carried a line went, as its waiter is told.
pub(crate) type Told = Result<(), String>;

/// A line waiting to be written, and its waiter.
pub(crate) struct Waiting {
    pub(crate) entry: AuditEntry,
    pub(crate) at: i64,
    pub(crate) done: oneshot::Sender<Told>,
}

/// The audit lines of one process waiting to be written, and the turn of
/// whoever writes them: one per [`crate::Db`], shared by its clones.
#[derive(Default)]
pub(crate) struct Lines {
    waiting: Mutex<Vec<Waiting>>,
    pub(crate) writer: Arc<tokio::sync::Mutex<()>>,
    lines: AtomicU64,
    writes: AtomicU64,
}

/// The audit lines this process wrote, and the writes (statements, each
/// its own commit) that carried them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineWrites {
    pub lines: u64,
    pub writes: u64,
}

impl Lines {
    /// Puts a line in the queue; the receiver learns how its write went.
    pub(crate) fn wait(&self, entry: AuditEntry, at: i64) -> oneshot::Receiver<Told> {
        let (done, told) = oneshot::channel();
        self.waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Waiting { entry, at, done });
        told
    }

    /// Every line waiting, taken out of the queue.
    pub(crate) fn take(&self) -> Vec<Waiting> {
        std::mem::take(&mut *self.waiting.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Counts one write that carried `lines` lines.
    pub(crate) fn count(&self, lines: usize) {
        self.lines.fetch_add(lines as u64, Ordering::Relaxed);
        self.writes.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn written(&self) -> LineWrites {
        LineWrites {
            lines: self.lines.load(Ordering::Relaxed),
            writes: self.writes.load(Ordering::Relaxed),
        }
    }
}

impl std::fmt::Debug for Lines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lines")
            .field("written", &self.written())
            .finish_non_exhaustive()
    }
}
