//! What every connection thread shares: the configuration, the state behind one lock, the open connections.

use std::collections::HashMap;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{Mutex, MutexGuard};

use crate::config::SandboxConfig;
use crate::fault_queue::FaultQueue;
use crate::quota::Quota;
use crate::request_log::RequestLog;
use crate::state::State;

/// Everything behind the one lock: API state, faults, log, quota.
pub(crate) struct Core {
    pub state: State,
    pub faults: FaultQueue,
    pub log: RequestLog,
    pub seq: u64,
    pub quota: Quota,
}

impl Core {
    /// Seeded state, no faults, empty log, the configured quota.
    pub fn new(config: &SandboxConfig) -> Core {
        Core {
            state: State::seeded(),
            faults: FaultQueue::default(),
            log: RequestLog::default(),
            seq: 0,
            quota: Quota::new(config.quota_per_hour, config.quota_status),
        }
    }
}

pub(crate) struct Shared {
    pub config: SandboxConfig,
    pub base_url: String,
    pub core: Mutex<Core>,
    pub shutting_down: AtomicBool,
    pub conns: Mutex<HashMap<u64, TcpStream>>,
    pub next_conn: AtomicU64,
    /// Where card changes are posted as webhooks (set through `/_sandbox/webhooks`).
    pub webhooks: std::sync::Arc<crate::webhooks::Webhooks>,
}

impl Shared {
    pub fn new(config: SandboxConfig, base_url: String) -> Shared {
        Shared {
            core: Mutex::new(Core::new(&config)),
            config,
            base_url,
            shutting_down: AtomicBool::new(false),
            conns: Mutex::new(HashMap::new()),
            next_conn: AtomicU64::new(1),
            webhooks: std::sync::Arc::default(),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Core> {
        // A panic in a handler must not wedge the sandbox: take the state even if poisoned.
        self.core.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Back to the start-up state (`POST /_sandbox/reset`).
    pub fn reset(&self) {
        self.webhooks.clear();
        *self.lock() = Core::new(&self.config);
    }
}
