//! The queue of pending faults, bounded in count and in the bytes their bodies and messages hold: the
//! control interface is reachable by anything on the machine, and 1 000 000 queued faults took 861 MB.

use std::collections::VecDeque;

use crate::faults::Fault;
use crate::routes::Route;

/// At most this many faults wait in the queue.
pub const MAX_FAULTS: usize = 10_000;
/// At most this many bytes of fault methods, messages and bodies wait in the queue (enough for a few
/// replies of the client's full 16 MB limit).
pub const MAX_FAULT_BYTES: usize = 64 * 1024 * 1024;

#[derive(Default)]
pub(crate) struct FaultQueue {
    items: VecDeque<Fault>,
    /// The sum of [`held`] over `items`.
    bytes: usize,
}

/// The bytes a fault keeps alive while queued.
fn held(f: &Fault) -> usize {
    f.method.len() + f.message.as_ref().map_or(0, String::len) + f.body.as_ref().map_or(0, String::len)
}

impl FaultQueue {
    /// Queues all of `faults`, or none of them when they would not fit (the message says which bound).
    pub fn push_all(&mut self, faults: Vec<Fault>) -> Result<(), String> {
        let count = self.items.len().saturating_add(faults.len());
        if count > MAX_FAULTS {
            return Err(format!(
                "the fault queue holds at most {MAX_FAULTS} faults ({} pending, {} sent)",
                self.items.len(),
                faults.len()
            ));
        }
        let bytes = faults.iter().fold(self.bytes, |sum, f| sum.saturating_add(held(f)));
        if bytes > MAX_FAULT_BYTES {
            return Err(format!(
                "the fault queue holds at most {MAX_FAULT_BYTES} bytes of messages and bodies ({} pending)",
                self.bytes
            ));
        }
        self.items.extend(faults);
        self.bytes = bytes;
        Ok(())
    }

    /// The first queued fault matching the request, counted down (and removed when used up).
    pub fn take(&mut self, method: &str, route: &Route) -> Option<Fault> {
        let i = self.items.iter().position(|f| f.matches(method, route))?;
        let f = self.items[i].clone();
        match f.times {
            0 => {}
            1 => {
                self.items.remove(i);
                self.bytes -= held(&f);
            }
            _ => self.items[i].times -= 1,
        }
        Some(f)
    }

    pub fn clear(&mut self) {
        self.items.clear();
        self.bytes = 0;
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The pending faults, in order.
    pub fn items(&self) -> &VecDeque<Fault> {
        &self.items
    }
}
