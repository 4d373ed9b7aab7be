//! From a parsed request to what the connection does: control endpoints, the card page, or an API request
//! (logged, then handled with the first queued fault that matches it applied).

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::faults::{self, FaultKind};
use crate::form::Params;
use crate::http::{Reply, Request};
use crate::request_log::{self, RecordedRequest};
use crate::routes;
use crate::shared::Shared;
use crate::{api, card_page, control};

/// What the connection does with a request.
pub(crate) enum Action {
    Reply(Reply),
    /// Close the connection without a reply.
    Drop,
}

/// Sleeps, waking early when the sandbox shuts down.
fn sleep_ms(shared: &Shared, ms: u64) {
    let end = Instant::now() + Duration::from_millis(ms);
    while !shared.shutting_down.load(Ordering::SeqCst) {
        let now = Instant::now();
        if now >= end {
            break;
        }
        std::thread::sleep((end - now).min(Duration::from_millis(20)));
    }
}

pub(crate) fn handle_request(shared: &Shared, req: &Request) -> Action {
    if req.path == "/_sandbox" || req.path.starts_with("/_sandbox/") {
        return Action::Reply(control::handle(shared, req));
    }
    if req.path.starts_with("/c/") && (req.verb == "GET" || req.verb == "HEAD") {
        return Action::Reply(card_page::render(&shared.lock().state, &req.path));
    }
    let params = Params::parse(req.header("content-type"), &req.body, &req.query);
    let (route, method) = routes::route(&req.path);
    let auth = req.header("authorization");
    let auth_ok = auth == Some(shared.config.token.as_str());

    let (seq, fault) = {
        let mut core = shared.lock();
        core.seq += 1;
        let seq = core.seq;
        let fault = core.faults.take(&method, &route);
        let entry = RecordedRequest {
            seq,
            verb: req.verb.clone(),
            path: req.path.clone(),
            method,
            content_type: params.kind.as_str().to_string(),
            auth_ok,
            has_authorization: auth.is_some(),
            fields: request_log::recorded_fields(params.flat.iter()),
            status: None,
            fault: fault.as_ref().map(|f| f.kind.as_str().to_string()),
        };
        core.log.record(entry);
        (seq, fault)
    };

    let process = || api::handle(shared, &req.verb, &route, &params, auth_ok);
    let reply = match fault {
        None => process(),
        Some(f) => match f.kind {
            FaultKind::Delay => {
                if f.after_processing {
                    let r = process();
                    sleep_ms(shared, f.delay_ms);
                    r
                } else {
                    sleep_ms(shared, f.delay_ms);
                    process()
                }
            }
            FaultKind::Drop => {
                if f.after_processing {
                    let _ = process();
                }
                return Action::Drop;
            }
            FaultKind::Garbage => {
                if f.after_processing {
                    let _ = process();
                }
                Reply::html(200, f.body.clone().unwrap_or_else(|| "<html>Bad Gateway</html>".to_string()))
            }
            FaultKind::Status => {
                if f.after_processing {
                    let _ = process();
                }
                let per_hour = shared.lock().quota.per_hour;
                faults::status_reply(&f, per_hour, &params)
            }
        },
    };
    shared.lock().log.set_status(seq, reply.status);
    Action::Reply(reply)
}
