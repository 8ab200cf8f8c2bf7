//! The workbench's last guard: no cell reaches the terminal with a control, bidi or other
//! unsafe character in it, whatever a view put there (a pasted token's claim, a key's note).
//! Views escape what they show (`tokensmith::text`); this catches what one forgot.

use std::borrow::Cow;

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

/// A backend that replaces any cell holding an unsafe character with U+FFFD before the
/// inner backend writes it.
pub struct SafeBackend<B> {
    inner: B,
}

impl<B> SafeBackend<B> {
    pub fn new(inner: B) -> Self {
        SafeBackend { inner }
    }

    #[cfg(test)]
    pub fn inner(&self) -> &B {
        &self.inner
    }
}

/// The cell as it may be written: unchanged, or with its symbol replaced.
pub fn safe_cell(cell: &Cell) -> Cow<'_, Cell> {
    if cell.symbol().chars().any(tokensmith::text::is_unsafe) {
        let mut safe = cell.clone();
        safe.set_symbol("\u{FFFD}");
        Cow::Owned(safe)
    } else {
        Cow::Borrowed(cell)
    }
}

impl<B: Backend> Backend for SafeBackend<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, Cow<'a, Cell>)> = content.map(|(x, y, c)| (x, y, safe_cell(c))).collect();
        self.inner.draw(cells.iter().map(|(x, y, c)| (*x, *y, c.as_ref())))
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}
