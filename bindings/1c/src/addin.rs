//! `AddIn.Passteam.Client`: the object 1C code creates. It turns 1C arguments into a core call and the
//! outcome into a result string, `ПоследняяОшибка` / `КодОшибки`, and (by default) a 1C exception.

use crate::args::{flag, json_params, text, timeout};
use crate::batch;
use crate::catalog::{self, Action, OutboxOp, Prop, WebhookAction, PROPS};
use crate::native::connection::{ADDIN_E_VERY_IMPORTANT, E_FAIL};
use crate::native::{Addin, Arg, Connection, Names, Value1C};
use crate::settings::Settings;
use crate::terms;
use crate::webhooks::WebhookHost;
use passteam::{Client, Error};
use serde_json::Value;

/// The source the platform shows with our exceptions.
pub const ERROR_SOURCE: &str = "Passteam";

/// The state of one `AddIn.Passteam.Client` object.
pub struct PassteamAddIn {
    props: Vec<Names>,
    methods: Vec<Names>,
    actions: Vec<Action>,
    connection: Option<Connection>,
    settings: Settings,
    /// Built when `Settings` is written, or at the first call.
    client: Option<Client>,
    last_error: String,
    error_code: i32,
    raise_exceptions: bool,
    webhooks: WebhookHost,
}

impl Default for PassteamAddIn {
    fn default() -> Self {
        let (methods, actions) = catalog::methods().into_iter().unzip();
        PassteamAddIn {
            props: catalog::prop_names(),
            methods,
            actions,
            connection: None,
            settings: Settings::default(),
            client: None,
            last_error: String::new(),
            error_code: 0,
            raise_exceptions: true,
            webhooks: WebhookHost::default(),
        }
    }
}

impl PassteamAddIn {
    /// "ПолучитьКарту / GetCard", for messages.
    fn method_title(&self, num: usize) -> String {
        format!("{} / {}", self.methods[num].russian, self.methods[num].english)
    }

    /// The client for the settings in force, built at the first call that needs it.
    fn client(&mut self) -> Result<&Client, Error> {
        if self.client.is_none() {
            self.client = Some(self.settings.client()?);
        }
        Ok(self.client.as_ref().expect("built above"))
    }

    fn run(&mut self, num: usize, args: &[Arg<'_>]) -> Result<Value, Error> {
        let arg = |i: usize| args.get(i).copied().unwrap_or(Arg::Empty);
        let title = self.method_title(num);
        if let Action::Outbox(op) = self.actions[num] {
            return self.run_outbox(op, arg(0), &title);
        }
        // Arguments are checked before the client is built, so that a bad argument is reported as such.
        let (method, params, deadline) = match self.actions[num] {
            Action::Call => (
                text(arg(0), &format!("{title}: parameter 1 (Метод / Method)"))?,
                json_params(arg(1), &format!("{title}: parameter 2 (ПараметрыJSON / ParamsJSON)"))?,
                timeout(arg(2), &format!("{title}: parameter 3 (ТаймаутМс / TimeoutMs)"))?,
            ),
            Action::Operation(m) => (
                m.name.to_owned(),
                json_params(arg(0), &format!("{title}: parameter 1 (ПараметрыJSON / ParamsJSON)"))?,
                None,
            ),
            Action::Webhook(action) => return self.run_webhook(action, arg(0), &title),
            Action::Outbox(_) | Action::Batch => unreachable!("handled by their own functions"),
            Action::Diagnose => return Ok(self.client()?.diagnose().to_json()),
        };
        self.client()?.call_with_timeout(&method, params, deadline)
    }

    /// `ВызватьПакет(ЗапросыJSON, ПараметрыJSON)`: the answer's text as the core built it (not parsed and
    /// written again: a batch may be large).
    fn run_batch(&mut self, num: usize, args: &[Arg<'_>]) -> Result<String, Error> {
        let arg = |i: usize| args.get(i).copied().unwrap_or(Arg::Empty);
        let title = self.method_title(num);
        // Checked before the client is built, as for the operations.
        let requests = batch::requests(arg(0), &title)?;
        let options = batch::options(arg(1), &title)?;
        batch::run(self.client()?, &requests, &options, &title)
    }

    fn run_webhook(&mut self, action: WebhookAction, arg: Arg<'_>, title: &str) -> Result<Value, Error> {
        match action {
            WebhookAction::Start => {
                let config = json_params(arg, &format!("{title}: parameter 1 (НастройкиJSON / ConfigJSON)"))?;
                self.webhooks.start(&config, self.connection)
            }
            WebhookAction::Stop => {
                self.webhooks.stop();
                Ok(Value::Bool(true))
            }
            WebhookAction::Next => {
                self.webhooks.next(timeout(arg, &format!("{title}: parameter 1 (ТаймаутМс / TimeoutMs)"))?)
            }
            WebhookAction::Ack => self
                .webhooks
                .ack(&text(arg, &format!("{title}: parameter 1 (ИдентификаторВебхука / WebhookId)"))?),
        }
    }

    /// The outbox methods: `ОчередьОтправить(МаксМс)`, `ОчередьСостояние()`, `ОчередьСписок(ФильтрJSON)`,
    /// `ОчередьПовторить(Ид)`, `ОчередьУдалить(Ид)`.
    fn run_outbox(&mut self, op: OutboxOp, arg: Arg<'_>, title: &str) -> Result<Value, Error> {
        let id = |arg: Arg<'_>| -> Result<i64, Error> {
            match arg {
                Arg::Int(n) => Ok(n),
                Arg::Double(x) if x.is_finite() && x.fract() == 0.0 => Ok(x as i64),
                _ => Err(Error::invalid_argument(format!(
                    "{title}: parameter 1 (Ид / Id) must be a whole number"
                ))),
            }
        };
        // Checked before the client is built, as for the operations.
        let max = match op {
            OutboxOp::Flush => timeout(arg, &format!("{title}: parameter 1 (МаксМс / MaxMs)"))?,
            _ => None,
        };
        let filter = match op {
            OutboxOp::List => json_params(arg, &format!("{title}: parameter 1 (ФильтрJSON / FilterJSON)"))?,
            _ => Value::Null,
        };
        let client = self.client()?;
        match op {
            OutboxOp::Flush => client.outbox_flush(max.unwrap_or(std::time::Duration::from_secs(5))),
            OutboxOp::Stats => client.outbox_stats(),
            OutboxOp::List => client.outbox_list(&filter),
            OutboxOp::Retry => client.outbox_retry(id(arg)?),
            OutboxOp::Discard => client.outbox_discard(id(arg)?),
        }
    }

    /// A queued call is not a failure: `КодОшибки` = 12 and `ПоследняяОшибка` holds the queued object (with
    /// its `outbox_id`), which is also the result; nothing is raised, whatever `ВызыватьИсключения` says.
    fn queued(&mut self, error: &Error) -> Value1C {
        let doc = error.to_json().to_string();
        self.last_error = doc.clone();
        self.error_code = error.status.code();
        Value1C::Text(doc)
    }

    fn succeed(&mut self) {
        self.last_error.clear();
        self.error_code = 0;
    }

    /// Records the error; raises it through the platform when `ВызыватьИсключения` is on. Returns
    /// whether the platform call must fail (it must, to raise).
    fn fail(&mut self, error: &Error) -> bool {
        self.last_error = error.to_json().to_string();
        self.error_code = error.status.code();
        if !self.raise_exceptions {
            return false;
        }
        if let Some(connection) = self.connection {
            connection.add_error(ADDIN_E_VERY_IMPORTANT, ERROR_SOURCE, &error.message, E_FAIL);
        }
        true
    }

    fn write_prop(&mut self, prop: Prop, value: Arg<'_>) -> Result<(), Error> {
        let title = PROPS
            .iter()
            .find(|(p, ..)| *p == prop)
            .map_or(String::new(), |(_, en, ru)| format!("{ru} / {en}"));
        match prop {
            Prop::Settings => {
                let config = match value {
                    Arg::Empty => String::new(),
                    other => text(other, &title)?,
                };
                self.client = Some(self.settings.replace(&config)?);
            }
            Prop::RaiseExceptions => self.raise_exceptions = flag(value, &title)?,
            Prop::LastError | Prop::ErrorCode | Prop::Version => {
                return Err(Error::invalid_argument(format!("{title} is read-only")))
            }
        }
        Ok(())
    }
}

impl Addin for PassteamAddIn {
    fn init(&mut self, connection: Option<Connection>) -> bool {
        self.connection = connection;
        true
    }

    fn done(&mut self) {
        // First: no receiver thread may raise an external event once the platform's interface is gone.
        self.webhooks.stop();
        self.connection = None;
        self.client = None;
    }

    fn extension_name(&self) -> &str {
        ERROR_SOURCE
    }

    fn props(&self) -> &[Names] {
        &self.props
    }

    fn methods(&self) -> &[Names] {
        &self.methods
    }

    fn prop_readable(&self, _num: usize) -> bool {
        true
    }

    fn prop_writable(&self, num: usize) -> bool {
        PROPS[num].0.writable()
    }

    fn get_prop(&mut self, num: usize) -> Option<Value1C> {
        Some(match PROPS[num].0 {
            Prop::Settings => Value1C::Text(self.settings.masked()),
            Prop::LastError => Value1C::Text(self.last_error.clone()),
            Prop::ErrorCode => Value1C::Int(self.error_code),
            Prop::RaiseExceptions => Value1C::Bool(self.raise_exceptions),
            Prop::Version => Value1C::Text(passteam::VERSION.to_owned()),
        })
    }

    fn set_prop(&mut self, num: usize, value: Arg<'_>) -> bool {
        match self.write_prop(PROPS[num].0, value) {
            Ok(()) => {
                self.succeed();
                true
            }
            Err(e) => !self.fail(&e),
        }
    }

    fn param_count(&self, method: usize) -> usize {
        self.actions[method].param_count()
    }

    fn param_default(&self, method: usize, param: usize) -> Option<Value1C> {
        match (self.actions[method], param) {
            (Action::Call, 0) => None,
            (Action::Call, 2) => Some(Value1C::Int(0)),
            (Action::Webhook(WebhookAction::Next), _) => Some(Value1C::Int(0)),
            (Action::Webhook(_), _) => None,
            (Action::Outbox(OutboxOp::Flush), 0) => Some(Value1C::Int(5000)),
            (Action::Outbox(OutboxOp::Retry | OutboxOp::Discard), 0) => None,
            (Action::Batch, 0) => None,
            _ => Some(Value1C::Text("{}".into())),
        }
    }

    fn has_ret_val(&self, _method: usize) -> bool {
        true
    }

    fn call(&mut self, method: usize, args: &[Arg<'_>]) -> Option<Value1C> {
        let outcome = match self.actions[method] {
            Action::Batch => self.run_batch(method, args).map(Some),
            // СледующийВебхук answers Неопределено when no event came; no operation returns null.
            Action::Webhook(_) => {
                self.run(method, args).map(|result| (!result.is_null()).then(|| result.to_string()))
            }
            _ => self.run(method, args).map(|result| Some(result.to_string())),
        };
        match outcome {
            Ok(text) => {
                self.succeed();
                Some(text.map_or(Value1C::Empty, Value1C::Text))
            }
            Err(e) if e.is_queued() => Some(self.queued(&e)),
            Err(e) => {
                let e = terms::in_1c_terms(e, &self.method_title(method));
                if self.fail(&e) {
                    None
                } else {
                    Some(Value1C::Empty)
                }
            }
        }
    }

    fn on_panic(&mut self, entry: &'static str) {
        let error = Error::internal(format!(
            "a bug in the Passteam add-in: a panic was caught in {entry}; the object remains usable"
        ));
        if matches!(entry, "CallAsFunc" | "CallAsProc" | "SetPropVal") {
            self.fail(&error);
        } else {
            self.last_error = error.to_json().to_string();
            self.error_code = error.status.code();
        }
    }
}

#[cfg(test)]
#[path = "addin_tests.rs"]
mod tests;
