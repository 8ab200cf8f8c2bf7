//! The workbench's four panes: below the app and its actions, which both name them.

/// The four panes, in focus order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pane {
    Profiles,
    Claims,
    Keys,
    Token,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Profiles, Pane::Claims, Pane::Keys, Pane::Token];

    pub fn number(self) -> usize {
        match self {
            Pane::Profiles => 1,
            Pane::Claims => 2,
            Pane::Keys => 3,
            Pane::Token => 4,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Pane::Profiles => "Profiles",
            Pane::Claims => "Claims",
            Pane::Keys => "Keys",
            Pane::Token => "Token",
        }
    }

    pub fn next(self) -> Pane {
        Pane::ALL[self.number() % 4]
    }

    pub fn prev(self) -> Pane {
        Pane::ALL[(self.number() + 2) % 4]
    }
}
