//! # passteam-1c
//!
//! The 1C:Enterprise external component (Native API) of the Passteam SDK: registered as "Passteam", it
//! gives 1C code the object `AddIn.Passteam.Client`, with Russian and English names:
//!
//! ```text
//! Компонента = Новый("AddIn.Passteam.Client");
//! Компонента.Настройки = "{""token"": ""..."", ""base_url"": ""https://getpass.passteam.ru""}";
//! Результат = Компонента.ВыдатьКарту("{""templateId"": ""..."", ""values"": {""PHONE"": ""+7...""}}");
//! ```
//!
//! The core is linked in statically: the library is self-contained, as 1C loads it alone from a ZIP.
//!
//! Layers: `exports` (the functions the platform looks up) -> `native` (the C++ interfaces, guarded and
//! checked) -> `addin` (the object: properties, methods, errors) -> `args` / `settings` / `catalog`
//! (argument conversion, the config, the names built from the core's method table), `batch` (ВызватьПакет),
//! `terms` (core messages restated for 1C code) -> `passteam::Client`.

mod addin;
mod args;
mod batch;
mod catalog;
mod exports;
mod native;
mod panic_hook;
mod settings;
mod terms;
mod webhooks;

pub use exports::{DestroyObject, GetAttachType, GetClassNames, GetClassObject, SetPlatformCapabilities};
