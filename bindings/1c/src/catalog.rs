//! The names 1C code uses: the properties, `Выполнить` / `Call`, and one method per operation of the
//! core's method table.
//!
//! The per-operation methods are built from `passteam::METHODS`, Russian names included (the table's
//! `russian` field), so a new operation appears in 1C by itself.

use crate::native::Names;
use passteam::Method;

/// The English name: the camel name with a capital first letter (`getCard` -> `GetCard`).
pub fn english_name(camel: &str) -> String {
    let mut chars = camel.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// The properties, in the order of their numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prop {
    /// The config JSON; writing it rebuilds the client, reading it masks the token.
    Settings,
    /// The error object JSON of the last call, "" after a success.
    LastError,
    /// The status number of the last call (0 = success).
    ErrorCode,
    /// Whether failures raise 1C exceptions (default true).
    RaiseExceptions,
    /// The SDK's version.
    Version,
}

/// Every property with its English and Russian name.
pub const PROPS: &[(Prop, &str, &str)] = &[
    (Prop::Settings, "Settings", "Настройки"),
    (Prop::LastError, "LastError", "ПоследняяОшибка"),
    (Prop::ErrorCode, "ErrorCode", "КодОшибки"),
    (Prop::RaiseExceptions, "RaiseExceptions", "ВызыватьИсключения"),
    (Prop::Version, "Version", "Версия"),
];

impl Prop {
    pub fn writable(self) -> bool {
        matches!(self, Prop::Settings | Prop::RaiseExceptions)
    }
}

/// What a method number does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `Выполнить(Метод, ПараметрыJSON, ТаймаутМс)` / `Call(Method, ParamsJSON, TimeoutMs)`.
    Call,
    /// One operation of the table: `(ПараметрыJSON)` / `(ParamsJSON)`.
    Operation(&'static Method),
    /// The webhook receiver (see `crate::webhooks`).
    Webhook(WebhookAction),
    /// One of the offline outbox's operations (issue 12).
    Outbox(OutboxOp),
    /// `Диагностика()` / `Diagnose()`: the report of `passteam_diagnose` as JSON text (issue 17).
    Diagnose,
    /// `ВызватьПакет(ЗапросыJSON, ПараметрыJSON)` / `CallBatch(RequestsJSON, OptionsJSON)`: the core's
    /// bulk call; the JSON array of per-item outcomes in input order (issue 16).
    Batch,
}

/// The webhook receiver's methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookAction {
    /// `ЗапуститьВебхуки(НастройкиJSON)` / `StartWebhooks(ConfigJSON)`: the receiver's info JSON.
    Start,
    /// `ОстановитьВебхуки()` / `StopWebhooks()`.
    Stop,
    /// `СледующийВебхук(ТаймаутМс)` / `NextWebhook(TimeoutMs)`: the event JSON, or Неопределено.
    Next,
    /// `ПодтвердитьВебхук(ИдентификаторВебхука)` / `AckWebhook(WebhookId)`.
    Ack,
}

/// The webhook methods with their English and Russian names.
pub const WEBHOOK_METHODS: &[(WebhookAction, &str, &str)] = &[
    (WebhookAction::Start, "StartWebhooks", "ЗапуститьВебхуки"),
    (WebhookAction::Stop, "StopWebhooks", "ОстановитьВебхуки"),
    (WebhookAction::Next, "NextWebhook", "СледующийВебхук"),
    (WebhookAction::Ack, "AckWebhook", "ПодтвердитьВебхук"),
];

/// The outbox methods, after the operations: flush, stats, list, retry, discard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxOp {
    /// `ОчередьОтправить(МаксМс)` / `OutboxFlush(MaxMs)`: replay what is due.
    Flush,
    /// `ОчередьСостояние()` / `OutboxStats()`.
    Stats,
    /// `ОчередьСписок(ФильтрJSON)` / `OutboxList(FilterJSON)`.
    List,
    /// `ОчередьПовторить(Ид)` / `OutboxRetry(Id)`: a dead entry back in line.
    Retry,
    /// `ОчередьУдалить(Ид)` / `OutboxDiscard(Id)`.
    Discard,
}

/// The outbox methods with their English and Russian names.
pub const OUTBOX_METHODS: &[(OutboxOp, &str, &str)] = &[
    (OutboxOp::Flush, "OutboxFlush", "ОчередьОтправить"),
    (OutboxOp::Stats, "OutboxStats", "ОчередьСостояние"),
    (OutboxOp::List, "OutboxList", "ОчередьСписок"),
    (OutboxOp::Retry, "OutboxRetry", "ОчередьПовторить"),
    (OutboxOp::Discard, "OutboxDiscard", "ОчередьУдалить"),
];

impl Action {
    /// The number of parameters the platform is told about.
    pub fn param_count(self) -> usize {
        match self {
            Action::Call => 3,
            Action::Operation(_) => 1,
            Action::Webhook(WebhookAction::Stop) => 0,
            Action::Webhook(_) => 1,
            Action::Outbox(OutboxOp::Stats) => 0,
            Action::Diagnose => 0,
            Action::Outbox(_) => 1,
            Action::Batch => 2,
        }
    }
}

/// The method list: `Выполнить` / `Call` first, then the operations in the table's order, then the
/// webhook receiver's methods, the outbox's, `Диагностика` and `ВызватьПакет` (new methods go last, so
/// that the numbers 1C code may have cached stay put).
pub fn methods() -> Vec<(Names, Action)> {
    let call = (Names { english: "Call".into(), russian: "Выполнить".into() }, Action::Call);
    let operations = passteam::METHODS.iter().map(|m| {
        // The core's table test makes sure every operation has a Russian name.
        (Names { english: english_name(m.camel), russian: m.russian.to_owned() }, Action::Operation(m))
    });
    let webhooks = WEBHOOK_METHODS.iter().map(|(action, en, ru)| {
        (Names { english: (*en).into(), russian: (*ru).into() }, Action::Webhook(*action))
    });
    let outbox = OUTBOX_METHODS
        .iter()
        .map(|(op, en, ru)| (Names { english: (*en).into(), russian: (*ru).into() }, Action::Outbox(*op)));
    let diagnose = (Names { english: "Diagnose".into(), russian: "Диагностика".into() }, Action::Diagnose);
    let batch = (Names { english: "CallBatch".into(), russian: "ВызватьПакет".into() }, Action::Batch);
    std::iter::once(call).chain(operations).chain(webhooks).chain(outbox).chain([diagnose, batch]).collect()
}

/// The property names, for the platform.
pub fn prop_names() -> Vec<Names> {
    PROPS.iter().map(|(_, en, ru)| Names { english: (*en).into(), russian: (*ru).into() }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::text::same_name;

    #[test]
    fn method_list_follows_the_core_table() {
        let list = methods();
        // Call, Diagnose and CallBatch besides the operations, the webhook and the outbox methods.
        assert_eq!(list.len(), passteam::METHODS.len() + 3 + WEBHOOK_METHODS.len() + OUTBOX_METHODS.len());
        assert_eq!(list[0].1, Action::Call);
        assert_eq!(
            list.last().map(|(n, a)| (n.russian.as_str(), n.english.as_str(), *a)),
            Some(("ВызватьПакет", "CallBatch", Action::Batch))
        );
        let list: Vec<_> = list.into_iter().filter(|(_, a)| !matches!(a, Action::Outbox(_))).collect();
        // The same operations as passteam::methods_json() (what passteam_methods_json() hands C), in its order, with the contract's names.
        let described = passteam::methods_json();
        let described = described.as_array().expect("an array");
        assert_eq!(described.len(), passteam::METHODS.len());
        for ((names, action), entry) in list[1..].iter().zip(described) {
            let Action::Operation(m) = action else { panic!("{names:?} is not an operation") };
            assert_eq!(entry["name"], m.name);
            assert_eq!(names.english, english_name(entry["camel"].as_str().unwrap()));
            assert!(names.english.starts_with(char::is_uppercase), "{}", names.english);
        }
        let find = |en: &str| list.iter().find(|(n, _)| n.english == en).map(|(n, _)| n.russian.as_str());
        assert_eq!(find("GetCard"), Some("ПолучитьКарту"));
        assert_eq!(find("CreateCard"), Some("СоздатьКарту"));
        assert_eq!(find("UpdateCard"), Some("ОбновитьКарту"));
        assert_eq!(find("IssueCard"), Some("ВыдатьКарту"));
        assert_eq!(find("UpdateClient"), Some("ОбновитьКлиента"));
        assert_eq!(find("GetAToken"), Some("ПолучитьТокен"));
    }

    #[test]
    fn names_are_unique_ignoring_case() {
        let mut all: Vec<String> = methods().into_iter().flat_map(|(n, _)| [n.english, n.russian]).collect();
        all.extend(PROPS.iter().flat_map(|(_, en, ru)| [en.to_string(), ru.to_string()]));
        for (i, a) in all.iter().enumerate() {
            let wide: Vec<u16> = a.encode_utf16().collect();
            for b in &all[i + 1..] {
                assert!(!same_name(&wide, b), "{a} and {b} collide");
            }
        }
    }

    #[test]
    fn english_names_capitalise_the_camel_name() {
        assert_eq!(english_name("getCard"), "GetCard");
        assert_eq!(english_name("distribute"), "Distribute");
        assert_eq!(english_name(""), "");
    }
}
