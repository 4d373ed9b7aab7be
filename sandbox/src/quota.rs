//! The hourly request quota and its refusal (`You can only make N requests per hour`).

use crate::envelope::envelope_err;
use crate::http::Reply;

pub(crate) struct Quota {
    /// `None` = unlimited.
    pub per_hour: Option<u64>,
    /// HTTP status and envelope code of the refusal.
    pub status: u16,
    /// The hour (since the epoch) `count` belongs to.
    pub hour: u64,
    /// API requests served in `hour`.
    pub count: u64,
}

impl Quota {
    /// A quota with a fresh counter.
    pub fn new(per_hour: Option<u64>, status: u16) -> Quota {
        Quota { per_hour, status, hour: 0, count: 0 }
    }

    /// Counts one request; `Some(refusal)` once the hour's allowance is spent.
    pub fn check(&mut self) -> Option<Reply> {
        let hour =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs()
                / 3600;
        if self.hour != hour {
            self.hour = hour;
            self.count = 0;
        }
        if let Some(n) = self.per_hour {
            if self.count >= n {
                return Some(envelope_err(self.status, &message(n)));
            }
        }
        self.count += 1;
        None
    }
}

/// The vendor's wording of a quota refusal.
pub fn message(n: u64) -> String {
    format!("You can only make {n} requests per hour")
}
