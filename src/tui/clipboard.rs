//! Copying: the system clipboard (arboard, kept alive for the session, since on X11 the owner
//! must stay alive for the text to stay pasteable), or OSC 52 through the terminal when over
//! SSH, when no display exists, or when configured.

use std::io::Write;

use serde::Deserialize;

/// The `clipboard` setting in `<config>/config.toml`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClipboardSetting {
    /// OSC 52 over SSH; else the system clipboard, falling back to OSC 52.
    #[default]
    Auto,
    /// The system clipboard only.
    Native,
    /// OSC 52 only.
    Osc52,
}

pub struct Clipboard {
    setting: ClipboardSetting,
    over_ssh: bool,
    native: Option<arboard::Clipboard>,
    native_failed: Option<String>,
}

impl Clipboard {
    pub fn new(setting: ClipboardSetting, over_ssh: bool) -> Clipboard {
        Clipboard { setting, over_ssh, native: None, native_failed: None }
    }

    fn native(&mut self) -> Result<&mut arboard::Clipboard, String> {
        if self.native.is_none() && self.native_failed.is_none() {
            // Any error means "no system clipboard here" (e.g. no display).
            match arboard::Clipboard::new() {
                Ok(clipboard) => self.native = Some(clipboard),
                Err(e) => self.native_failed = Some(e.to_string()),
            }
        }
        match (&mut self.native, &self.native_failed) {
            (Some(clipboard), _) => Ok(clipboard),
            (None, Some(e)) => Err(e.clone()),
            (None, None) => Err("no system clipboard".into()),
        }
    }

    /// Copies `text`; returns how ("system clipboard" or "OSC 52 via the terminal").
    pub fn copy(&mut self, text: &str, terminal: &mut impl Write) -> Result<String, String> {
        let use_native = match self.setting {
            ClipboardSetting::Osc52 => false,
            ClipboardSetting::Native => true,
            ClipboardSetting::Auto => !self.over_ssh,
        };
        if use_native {
            match self.native().and_then(|c| c.set_text(text.to_string()).map_err(|e| e.to_string())) {
                Ok(()) => return Ok("system clipboard".into()),
                Err(e) if self.setting == ClipboardSetting::Native => {
                    return Err(format!("system clipboard: {e}"));
                }
                Err(_) => {}
            }
        }
        osc52(text, terminal)?;
        Ok(if self.over_ssh { "OSC 52 via the terminal, over SSH" } else { "OSC 52 via the terminal" }.into())
    }
}

/// Writes `ESC ] 52 ; c ; base64 BEL`: the terminal (or tmux) puts the text on its clipboard.
pub fn osc52(text: &str, terminal: &mut impl Write) -> Result<(), String> {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    write!(terminal, "\x1b]52;c;{encoded}\x07").and_then(|()| terminal.flush()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_wraps_the_text_in_base64() {
        let mut out = Vec::new();
        osc52("a.b.c", &mut out).expect("writes");
        assert_eq!(out, b"\x1b]52;c;YS5iLmM=\x07");
        let mut clipboard = Clipboard::new(ClipboardSetting::Osc52, false);
        let mut out = Vec::new();
        assert_eq!(clipboard.copy("x", &mut out).as_deref(), Ok("OSC 52 via the terminal"));
        assert_eq!(out, b"\x1b]52;c;eA==\x07");
    }
}
