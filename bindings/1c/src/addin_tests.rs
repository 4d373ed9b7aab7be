//! The object's behaviour without a server: names, defaults, properties, argument errors, raising.

use super::*;
use crate::native::testing::FakeConnection;
use passteam::Status;

fn w(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

fn find(names: &[Names], name: &str) -> usize {
    names.iter().position(|n| n.english == name || n.russian == name).unwrap_or_else(|| panic!("{name}"))
}

/// An object connected to a fake platform interface, pointing at a closed local port.
fn object(connection: &FakeConnection) -> PassteamAddIn {
    let mut a = PassteamAddIn::default();
    assert!(a.init(unsafe { Connection::from_ptr(connection.as_ptr()) }));
    let settings = w(r#"{"token": "SECRET-TOKEN", "base_url": "http://127.0.0.1:9", "max_attempts": 1}"#);
    assert!(a.set_prop(find(a.props(), "Settings"), Arg::Wide(&settings)));
    a
}

fn text(value: Option<Value1C>) -> String {
    match value {
        Some(Value1C::Text(t)) => t,
        other => panic!("expected text, got {other:?}"),
    }
}

#[test]
fn properties_and_their_defaults() {
    let c = FakeConnection::new();
    let mut a = object(&c);
    let p = |a: &PassteamAddIn, n: &str| find(a.props(), n);
    let settings = text(a.get_prop(p(&a, "Настройки")));
    assert!(settings.contains(r#""token":"***""#) && !settings.contains("SECRET"), "{settings}");
    assert_eq!(a.get_prop(p(&a, "LastError")), Some(Value1C::Text(String::new())));
    assert_eq!(a.get_prop(p(&a, "КодОшибки")), Some(Value1C::Int(0)));
    assert_eq!(a.get_prop(p(&a, "ВызыватьИсключения")), Some(Value1C::Bool(true)));
    assert_eq!(a.get_prop(p(&a, "Version")), Some(Value1C::Text(passteam::VERSION.into())));
    let writable: Vec<bool> = (0..a.props().len()).map(|i| a.prop_writable(i)).collect();
    assert_eq!(writable, [true, false, false, true, false]);
}

#[test]
fn methods_have_their_parameters_and_defaults() {
    let a = PassteamAddIn::default();
    let call = find(a.methods(), "Выполнить");
    assert_eq!(a.param_count(call), 3);
    assert_eq!(a.param_default(call, 0), None);
    assert_eq!(a.param_default(call, 1), Some(Value1C::Text("{}".into())));
    assert_eq!(a.param_default(call, 2), Some(Value1C::Int(0)));
    let get_card = find(a.methods(), "ПолучитьКарту");
    assert_eq!(a.methods()[get_card].english, "GetCard");
    assert_eq!(a.param_count(get_card), 1);
    assert_eq!(a.param_default(get_card, 0), Some(Value1C::Text("{}".into())));
    assert!((0..a.methods().len()).all(|m| a.has_ret_val(m)));
}

#[test]
fn failures_raise_through_add_error_with_the_message() {
    let c = FakeConnection::new();
    let mut a = object(&c);
    let get_card = find(a.methods(), "GetCard");
    // A number where JSON text is expected.
    assert_eq!(a.call(get_card, &[Arg::Int(5)]), None);
    let errors = c.errors.borrow().clone();
    assert_eq!(errors.len(), 1);
    let (code, source, description, scode) = &errors[0];
    assert_eq!((*code, source.as_str(), *scode), (ADDIN_E_VERY_IMPORTANT, "Passteam", E_FAIL));
    assert!(
        description.contains("ПолучитьКарту / GetCard") && description.contains("Число"),
        "{description}"
    );
    assert_eq!(a.get_prop(find(a.props(), "ErrorCode")), Some(Value1C::Int(Status::InvalidArgument.code())));
    let last: Value = serde_json::from_str(&text(a.get_prop(find(a.props(), "LastError")))).unwrap();
    assert_eq!(last["status"], 1);
    assert_eq!(last["message"], description.as_str());
    // The core's own checks come back the same way: {} lacks the card's id.
    assert_eq!(a.call(get_card, &[Arg::Empty]), None);
    assert_eq!(a.error_code, Status::Validation.code());
    assert_eq!(c.errors.borrow().len(), 2);
}

#[test]
fn without_exceptions_a_failure_returns_undefined_and_sets_last_error() {
    let c = FakeConnection::new();
    let mut a = object(&c);
    assert!(a.set_prop(find(a.props(), "RaiseExceptions"), Arg::Bool(false)));
    let call = find(a.methods(), "Call");
    let r = a.call(call, &[Arg::Wide(&w("nosuch")), Arg::Wide(&w("{}"))]);
    assert_eq!(r, Some(Value1C::Empty));
    assert_eq!(a.error_code, Status::InvalidArgument.code());
    assert!(a.last_error.contains("nosuch"), "{}", a.last_error);
    // Nothing listens on port 9: a transport error, reported the same way.
    let r =
        a.call(call, &[Arg::Wide(&w("getcard")), Arg::Wide(&w(r#"{"cardId": "x"}"#)), Arg::Double(2000.0)]);
    assert_eq!(r, Some(Value1C::Empty));
    assert_eq!(a.error_code, Status::Transport.code(), "{}", a.last_error);
    // A bad setting is refused and the old one kept.
    assert!(a.set_prop(find(a.props(), "Settings"), Arg::Wide(&w(r#"{"tokn": 1}"#))));
    assert_eq!(a.error_code, Status::InvalidArgument.code());
    assert!(text(a.get_prop(0)).contains("127.0.0.1:9"));
    assert!(a.set_prop(find(a.props(), "ВызыватьИсключения"), Arg::Wide(&w("Да"))));
    assert_eq!(a.get_prop(find(a.props(), "RaiseExceptions")), Some(Value1C::Bool(false)));
    assert!(c.errors.borrow().is_empty());
    // A success clears the error.
    assert!(a.set_prop(find(a.props(), "RaiseExceptions"), Arg::Int(1)));
    assert_eq!((a.error_code, a.last_error.as_str()), (0, ""));
}

#[test]
fn a_caught_panic_is_reported_like_an_error() {
    let c = FakeConnection::new();
    let mut a = object(&c);
    a.on_panic("CallAsFunc");
    assert_eq!(a.error_code, Status::Internal.code());
    assert_eq!(c.errors.borrow().len(), 1);
    a.on_panic("GetPropVal");
    assert_eq!(c.errors.borrow().len(), 1, "no exception outside a call");
}

#[test]
fn webhooks_start_raise_an_external_event_and_wait_for_their_acknowledgement() {
    use std::io::{Read, Write};
    let c = FakeConnection::new();
    let mut a = object(&c);
    let m = |a: &PassteamAddIn, n: &str| find(a.methods(), n);
    assert_eq!(a.methods()[m(&a, "ЗапуститьВебхуки")].english, "StartWebhooks");
    assert_eq!(a.param_count(m(&a, "ОстановитьВебхуки")), 0);
    assert_eq!(a.param_default(m(&a, "СледующийВебхук"), 0), Some(Value1C::Int(0)));
    assert_eq!(a.param_default(m(&a, "ПодтвердитьВебхук"), 0), None);

    let store = std::env::temp_dir().join(format!("passteam-1c-webhooks-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&store);
    let config =
        w(&serde_json::json!({"path": "/passteam/hooks-0123456789ab", "store_path": store}).to_string());
    let info = text(a.call(m(&a, "StartWebhooks"), &[Arg::Wide(&config)]));
    let info: Value = serde_json::from_str(&info).unwrap();
    assert_eq!(*c.depth.lock().unwrap(), crate::webhooks::EVENT_BUFFER_DEPTH);

    let body = r#"{"webhookId": "w-1c", "event": "installCard", "card": {"cardId": "5e451571cea6c6141807b792", "installed": true}}"#;
    let mut s = std::net::TcpStream::connect(info["listen"].as_str().unwrap()).unwrap();
    write!(s, "POST /passteam/hooks-0123456789ab HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}", body.len())
        .unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");

    let event: Value =
        serde_json::from_str(&text(a.call(m(&a, "СледующийВебхук"), &[Arg::Int(1000)]))).unwrap();
    assert_eq!((event["webhookId"].as_str(), event["event"].as_str()), (Some("w-1c"), Some("installCard")));
    let raised = c.events.lock().unwrap().clone();
    assert_eq!(raised.len(), 1);
    assert_eq!((raised[0].0.as_str(), raised[0].1.as_str()), ("Passteam", "Webhook"));
    assert!(raised[0].2.contains("\"w-1c\""));

    let id = w("w-1c");
    let acked: Value =
        serde_json::from_str(&text(a.call(m(&a, "ПодтвердитьВебхук"), &[Arg::Wide(&id)]))).unwrap();
    assert_eq!(acked["acked"], true);
    assert_eq!(
        a.call(m(&a, "NextWebhook"), &[Arg::Int(0)]),
        Some(Value1C::Empty),
        "Неопределено: none pending"
    );
    assert_eq!(text(a.call(m(&a, "StopWebhooks"), &[])), "true");
    assert_eq!(a.call(m(&a, "NextWebhook"), &[Arg::Int(0)]), None, "not started: an exception");
    assert!(c.errors.borrow().last().unwrap().2.contains("ЗапуститьВебхуки"));
    let _ = std::fs::remove_file(&store);
}

#[test]
fn a_queued_call_sets_error_code_12_without_raising_and_the_outbox_methods_work() {
    let dir = std::env::temp_dir().join(format!("passteam-1c-outbox-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("outbox.sqlite");
    let _ = std::fs::remove_file(&path);
    let c = FakeConnection::new();
    let mut a = object(&c);
    let settings =
        serde_json::json!({"token": "SECRET-TOKEN", "base_url": "http://127.0.0.1:9", "max_attempts": 1,
        "outbox_path": path.to_str().unwrap(), "outbox_replay": "manual"})
        .to_string();
    assert!(a.set_prop(find(a.props(), "Settings"), Arg::Wide(&w(&settings))));
    let update = find(a.methods(), "ОбновитьКарту");
    let params = w(r#"{"cardId": "c1", "values": {"BONUS": 5}}"#);
    let result = text(a.call(update, &[Arg::Wide(&params)]));
    assert!(c.errors.borrow().is_empty(), "a queued call raises nothing, even with ВызыватьИсключения on");
    let doc: Value = serde_json::from_str(&result).unwrap();
    assert_eq!(doc["status"], 12);
    let id = doc["outbox_id"].as_i64().unwrap();
    assert_eq!(a.get_prop(find(a.props(), "КодОшибки")), Some(Value1C::Int(Status::Queued.code())));
    assert!(text(a.get_prop(find(a.props(), "ПоследняяОшибка"))).contains("outbox_id"));
    assert!(!result.contains("SECRET-TOKEN"));

    let stats: Value =
        serde_json::from_str(&text(a.call(find(a.methods(), "ОчередьСостояние"), &[]))).unwrap();
    assert_eq!(stats["pending"], 1);
    let list = text(a.call(find(a.methods(), "OutboxList"), &[Arg::Wide(&w(r#"{"state": "pending"}"#))]));
    assert!(list.contains("updatecard"), "{list}");
    let flushed: Value =
        serde_json::from_str(&text(a.call(find(a.methods(), "ОчередьОтправить"), &[Arg::Int(200)]))).unwrap();
    assert_eq!(flushed["pending"], 1, "nothing reachable: still pending, {flushed}");
    assert!(text(a.call(find(a.methods(), "ОчередьПовторить"), &[Arg::Int(id)])).contains("retried"));
    assert!(text(a.call(find(a.methods(), "ОчередьУдалить"), &[Arg::Int(id)])).contains("discarded"));
    assert_eq!(a.get_prop(find(a.props(), "КодОшибки")), Some(Value1C::Int(0)));
    // Without an outbox the methods fail as any bad argument does (raised: the platform call fails).
    let mut plain = object(&c);
    assert!(plain.call(find(plain.methods(), "OutboxStats"), &[]).is_none());
    assert_eq!(
        plain.get_prop(find(plain.props(), "ErrorCode")),
        Some(Value1C::Int(Status::InvalidArgument.code()))
    );
}

#[test]
fn diagnose_answers_the_report_for_the_settings_in_force() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let c = FakeConnection::new();
    let mut a = object(&c);
    let settings =
        serde_json::json!({"token": "SECRET-TOKEN", "base_url": format!("http://127.0.0.1:{port}")})
            .to_string();
    assert!(a.set_prop(find(a.props(), "Settings"), Arg::Wide(&w(&settings))));
    let m = find(a.methods(), "Диагностика");
    assert_eq!(a.methods()[m].english, "Diagnose");
    assert_eq!(a.param_count(m), 0);
    let report: Value = serde_json::from_str(&text(a.call(m, &[]))).unwrap();
    assert_eq!(report["ok"], false, "{report}");
    let tcp = report["checks"].as_array().unwrap().iter().find(|c| c["name"] == "tcp").unwrap();
    assert_eq!(tcp["status"], "failed");
    assert!(!report.to_string().contains("SECRET-TOKEN"));
}

/// An object on a fresh sandbox (real HTTP on 127.0.0.1, an OS-picked port).
fn on_sandbox(connection: &FakeConnection) -> (PassteamAddIn, passteam_sandbox::Sandbox) {
    let sandbox = passteam_sandbox::Sandbox::start(Default::default()).expect("the sandbox starts");
    let mut a = object(connection);
    let settings = serde_json::json!({"token": sandbox.token(), "base_url": sandbox.base_url()}).to_string();
    assert!(a.set_prop(find(a.props(), "Settings"), Arg::Wide(&w(&settings))));
    (a, sandbox)
}

#[test]
fn call_batch_answers_every_item_in_order_and_a_failing_item_raises_nothing() {
    let c = FakeConnection::new();
    let (mut a, _sandbox) = on_sandbox(&c);
    let m = find(a.methods(), "ВызватьПакет");
    assert_eq!(a.methods()[m].english, "CallBatch");
    assert_eq!(a.param_count(m), 2);
    assert_eq!(a.param_default(m, 0), None, "the requests are required");
    assert_eq!(a.param_default(m, 1), Some(Value1C::Text("{}".into())));
    let loyalty = passteam_sandbox::TEMPLATE_LOYALTY;
    let requests = serde_json::json!([
        {"method": "getlisttemplates"},
        {"method": "getcard", "params": {"cardId": "000000000000000000000000"}},
        {"method": "gettemplate", "params": {"templateId": loyalty}},
    ])
    .to_string();
    for options in [Arg::Empty, Arg::Wide(&[]), Arg::Wide(&w(r#"{"concurrency": 2}"#))] {
        let answer: Value =
            serde_json::from_str(&text(a.call(m, &[Arg::Wide(&w(&requests)), options]))).unwrap();
        let items = answer.as_array().expect("an array");
        assert_eq!(items.len(), 3, "{answer}");
        assert_eq!(items[0]["status"], 0);
        assert!(items[0]["result"].to_string().contains(loyalty), "{answer}");
        assert_eq!(items[1]["status"], Status::NotFound.code(), "{answer}");
        assert!(items[1].get("result").is_none() && items[1]["error"]["message"].is_string(), "{answer}");
        assert_eq!(items[2]["status"], 0);
        assert_eq!(items[2]["result"]["templateId"], loyalty, "{answer}");
        assert!(c.errors.borrow().is_empty(), "a failing item is not an exception");
        assert_eq!(a.get_prop(find(a.props(), "КодОшибки")), Some(Value1C::Int(0)));
    }
    assert_eq!(text(a.call(find(a.methods(), "CallBatch"), &[Arg::Wide(&w("[]"))])), "[]");
}

#[test]
fn call_batch_refuses_bad_arguments_naming_the_parameter() {
    let c = FakeConnection::new();
    let mut a = object(&c);
    let m = find(a.methods(), "CallBatch");
    let cases: [(Arg<'_>, Arg<'_>, Status, &str); 6] = [
        (Arg::Empty, Arg::Empty, Status::InvalidArgument, "ЗапросыJSON / RequestsJSON"),
        (Arg::Wide(&[]), Arg::Empty, Status::InvalidJson, "ЗапросыJSON / RequestsJSON"),
        (Arg::Narrow(b"{\"method\": \"getcard\"}"), Arg::Empty, Status::InvalidJson, "JSON array"),
        (Arg::Narrow(b"[oops"), Arg::Empty, Status::InvalidJson, "not valid JSON"),
        (
            Arg::Narrow(b"[]"),
            Arg::Narrow(b"{\"concurrency\": 0}"),
            Status::InvalidArgument,
            "ПараметрыJSON / OptionsJSON): concurrency",
        ),
        (Arg::Narrow(b"[]"), Arg::Int(4), Status::InvalidArgument, "ПараметрыJSON / OptionsJSON"),
    ];
    for (i, (requests, options, status, said)) in cases.into_iter().enumerate() {
        assert_eq!(a.call(m, &[requests, options]), None, "case {i}: raised");
        assert_eq!(a.error_code, status.code(), "case {i}: {}", a.last_error);
        let description = c.errors.borrow().last().unwrap().2.clone();
        assert!(description.starts_with("ВызватьПакет / CallBatch: "), "case {i}: {description}");
        assert!(description.contains(said), "case {i}: {description}");
    }
    // An item that is not {"method", "params"} is that item's error, not the batch's.
    let answer: Value = serde_json::from_str(&text(a.call(m, &[Arg::Narrow(b"[5]")]))).unwrap();
    assert_eq!(answer[0]["status"], Status::InvalidArgument.code(), "{answer}");
    // Without exceptions a bad batch answers Неопределено, as every method does.
    assert!(a.set_prop(find(a.props(), "RaiseExceptions"), Arg::Bool(false)));
    assert_eq!(a.call(m, &[Arg::Narrow(b"{}")]), Some(Value1C::Empty));
    assert_eq!(a.error_code, Status::InvalidJson.code());
}

#[test]
fn a_call_without_a_token_says_to_set_it_in_the_settings_property() {
    let c = FakeConnection::new();
    let (mut a, sandbox) = on_sandbox(&c);
    let settings = serde_json::json!({"base_url": sandbox.base_url()}).to_string();
    assert!(a.set_prop(find(a.props(), "Настройки"), Arg::Wide(&w(&settings))));
    let get_card = find(a.methods(), "ПолучитьКарту");
    assert_eq!(a.call(get_card, &[Arg::Narrow(br#"{"cardId": "000000000000000000000000"}"#)]), None);
    let description = c.errors.borrow().last().unwrap().2.clone();
    assert!(description.starts_with("ПолучитьКарту / GetCard: не задан токен API"), "{description}");
    for said in [r#"ключ "token" в свойстве Настройки"#, r#"set the key "token" in the property Settings"#]
    {
        assert!(description.contains(said), "{description}");
    }
    assert!(!description.contains("config key"), "the core's wording, not 1C's: {description}");
    assert_eq!(a.error_code, Status::Auth.code());
    let last: Value = serde_json::from_str(&a.last_error).unwrap();
    assert_eq!(last["message"], description.as_str());
    assert_eq!(last["details"]["missing"], "token", "code can still test the details");
    assert!(sandbox.requests().is_empty(), "nothing was sent without a token");
    // The same in each item of a batch, in the item's terms.
    let answer: Value = serde_json::from_str(&text(a.call(
        find(a.methods(), "ВызватьПакет"),
        &[Arg::Narrow(br#"[{"method": "getlisttemplates"}, {"method": "nosuch"}]"#)],
    )))
    .unwrap();
    let message = answer[0]["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("ВызватьПакет / CallBatch, item 0 (getlisttemplates): не задан токен API"),
        "{message}"
    );
    assert!(message.contains("property Settings"), "{message}");
    assert!(!answer[1]["error"]["message"].as_str().unwrap().contains("токен"), "{answer}");
}

#[test]
fn a_queued_update_is_sent_by_outbox_flush_once_passteam_is_reachable() {
    let dir = std::env::temp_dir().join(format!("passteam-1c-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("outbox.sqlite");
    let c = FakeConnection::new();
    let (mut a, sandbox) = on_sandbox(&c);
    let settings = |base_url: &str| {
        w(&serde_json::json!({"token": sandbox.token(), "base_url": base_url, "max_attempts": 1,
            "outbox_path": path.to_str().unwrap(), "outbox_replay": "manual"})
        .to_string())
    };
    let issued: Value = serde_json::from_str(&text(
        a.call(
            find(a.methods(), "IssueCard"),
            &[Arg::Wide(&w(&serde_json::json!({"templateId": passteam_sandbox::TEMPLATE_LOYALTY,
            "values": {"PHONE": "+79160000077", "BONUS": 0}})
            .to_string()))],
        ),
    ))
    .unwrap();
    let card_id = issued["card"]["cardId"].as_str().unwrap().to_owned();
    assert!(a.set_prop(find(a.props(), "Settings"), Arg::Wide(&settings("http://127.0.0.1:9"))));
    let update = w(&serde_json::json!({"cardId": card_id, "values": {"BONUS": 42}}).to_string());
    let queued: Value =
        serde_json::from_str(&text(a.call(find(a.methods(), "UpdateCard"), &[Arg::Wide(&update)]))).unwrap();
    assert_eq!(queued["status"], Status::Queued.code(), "{queued}");
    sandbox.clear_requests();
    assert!(a.set_prop(find(a.props(), "Settings"), Arg::Wide(&settings(&sandbox.base_url()))));
    let flushed: Value =
        serde_json::from_str(&text(a.call(find(a.methods(), "OutboxFlush"), &[Arg::Int(5000)]))).unwrap();
    assert_eq!((flushed["sent"].as_i64(), flushed["pending"].as_i64()), (Some(1), Some(0)), "{flushed}");
    let sent: Vec<_> = sandbox.requests().into_iter().filter(|r| r.path.ends_with("/updatecard")).collect();
    assert_eq!(sent.len(), 1, "the queued update reached Passteam once");
    let card: Value = serde_json::from_str(&text(a.call(
        find(a.methods(), "GetCard"),
        &[Arg::Wide(&w(&serde_json::json!({"cardId": card_id}).to_string()))],
    )))
    .unwrap();
    assert_eq!(card["values"]["%BONUS%"], "42", "{card}");
    assert!(c.errors.borrow().is_empty());
    drop(a);
    let _ = std::fs::remove_dir_all(&dir);
}
