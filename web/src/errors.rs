//! Errors as the page receives them, and the conversions between plain JS objects and the
//! engine's serde types that can fail with one.

use js_sys::{JSON, Reflect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use coresweep::Error;

/// A JS `Error` with `message` and the `param` property (sklearn's name, or `null`).
pub(crate) fn js_error(message: &str, param: Option<&str>) -> JsValue {
    let error = js_sys::Error::new(message);
    let param = param.map_or(JsValue::NULL, JsValue::from_str);
    // Setting a property on a fresh, unfrozen Error cannot fail.
    let _ = Reflect::set(&error, &JsValue::from_str("param"), &param);
    error.into()
}

pub(crate) fn engine_error(error: Error) -> JsValue {
    js_error(&error.to_string(), error.parameter())
}

/// A plain JS object (or array) with the same shape as `value`'s JSON.
pub(crate) fn to_plain<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value).map_err(|e| js_error(&e.to_string(), None))?;
    JSON::parse(&text)
}

/// Reads a plain JS object as `T`, the way the engine reads the same JSON; `what` names it in
/// the error.
pub(crate) fn from_plain<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, JsValue> {
    let text: String = JSON::stringify(value)?.into();
    serde_json::from_str(&text).map_err(|e| js_error(&format!("{what}: {e}"), None))
}
