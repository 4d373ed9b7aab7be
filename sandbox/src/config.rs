//! The start-up configuration of a sandbox.

/// Start-up configuration of a [`Sandbox`](crate::Sandbox).
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// The API token; `Authorization` must equal it exactly (raw, no `Bearer`). Default `sandbox-token`.
    pub token: String,
    /// `getatoken` credentials. Default `demo`.
    pub nickname: String,
    /// `getatoken` credentials. Default `demo`.
    pub password: String,
    /// `None` = unlimited; otherwise, once that many API requests were served in the current hour,
    /// reply with `You can only make N requests per hour`.
    pub quota_per_hour: Option<u64>,
    /// HTTP status and envelope code of the quota reply. Default 429.
    pub quota_status: u16,
    /// Port to bind on 127.0.0.1; 0 (default) lets the OS pick.
    pub port: u16,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            token: "sandbox-token".to_string(),
            nickname: "demo".to_string(),
            password: "demo".to_string(),
            quota_per_hour: None,
            quota_status: 429,
            port: 0,
        }
    }
}
