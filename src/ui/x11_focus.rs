//! Keyboard focus under a bare X server. winit only delivers keys to a window
//! that has received X input focus, and without a window manager (Xvfb in CI,
//! kiosk setups) nobody gives it any, so the keyboard-first app would ignore
//! every key. When no window manager is running, Recall focuses its own window
//! at start-up; with a window manager it does nothing.

use raw_window_handle::{HasWindowHandle, RawWindowHandle};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{AtomEnum, ConnectionExt, InputFocus};

/// Gives the app's X11 window input focus if no window manager is running.
/// Returns `false` when it should be tried again on a later frame (the window
/// may not be mapped yet). Best effort: on X errors the focus stays as it was.
pub fn focus_without_window_manager(frame: &eframe::Frame) -> bool {
    let Ok(handle) = frame.window_handle() else {
        return true;
    };
    let window = match handle.as_raw() {
        RawWindowHandle::Xlib(h) => h.window as u32,
        RawWindowHandle::Xcb(h) => h.window.get(),
        _ => return true,
    };
    focus(window).is_ok()
}

fn focus(window: u32) -> Result<(), Box<dyn std::error::Error>> {
    let (conn, screen) = x11rb::connect(None)?;
    let root = conn.setup().roots[screen].root;
    let check = conn
        .intern_atom(true, b"_NET_SUPPORTING_WM_CHECK")?
        .reply()?
        .atom;
    let has_wm = check != 0
        && conn
            .get_property(false, root, check, AtomEnum::WINDOW, 0, 1)?
            .reply()?
            .value_len
            > 0;
    if !has_wm {
        conn.set_input_focus(InputFocus::PARENT, window, x11rb::CURRENT_TIME)?
            .check()?;
    }
    Ok(())
}
