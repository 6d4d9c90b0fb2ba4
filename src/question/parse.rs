//! The event language's text to its syntax tree ([`EventExpr`]): words,
//! numbers, dates and comparisons, with every piece's byte range kept so
//! that an error can point into the text it came from.
//!
//! ```text
//! event   := clause { "and" clause }
//! clause  := ["not"] ( milestone_clause | state_clause )
//! milestone_clause := MILESTONE ( ("by" | "before" | "at" | "after") WHEN | CMP INT )?
//! state_clause := ( "rung" CMP INT | "talks active" | "talks suspended" | "war"
//!                 | "ceasefire" | VAR CMP NUMBER ) [ window ]
//! window  := "at" WHEN | "by" WHEN | "for" INT UNIT [ "by" WHEN ]
//! WHEN    := "step" INT | "week" INT | "day" INT | YYYY-MM-DD
//! ```
//!
//! Which names are milestones and which variables is decided by
//! [`super::compile()`], against a model.

use std::ops::Range;

use chrono::NaiveDate;

use super::EventError;
use crate::scenario::calendar::parse_date;

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Cmp {
    /// Whether `a` compares to `b` this way.
    pub fn test<T: PartialOrd>(self, a: T, b: T) -> bool {
        match self {
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
        }
    }

    /// How it is written.
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }
}

/// A moment: a step, a week, a day or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// `step N`.
    Step(u32),
    /// `week N` (the end of the N-th week after the start).
    Week(u32),
    /// `day N` (the end of the N-th day after the start).
    Day(u32),
    /// `YYYY-MM-DD`.
    Date(NaiveDate),
}

/// A moment and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhenAt {
    /// The moment.
    pub when: When,
    /// Its byte range in the text.
    pub span: Range<usize>,
}

/// A length of time in `for N UNIT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Steps.
    Step,
    /// Weeks (7 days).
    Week,
    /// Days.
    Day,
}

/// How a milestone's first step is tested.
#[derive(Debug, Clone, PartialEq)]
pub enum MilestoneTest {
    /// Reached at all (by the horizon).
    Reached,
    /// Reached on or before the moment.
    By(WhenAt),
    /// Reached before the moment.
    Before(WhenAt),
    /// Reached exactly at the moment.
    At(WhenAt),
    /// Reached after the moment.
    After(WhenAt),
}

/// A state of the world at the end of a step.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// `rung CMP INT`.
    Rung(Cmp, i64),
    /// `talks active`.
    TalksActive,
    /// `talks suspended`.
    TalksSuspended,
    /// `war`: a war is open.
    War,
    /// `ceasefire`: a ceasefire holds.
    Ceasefire,
}

/// Over which steps a state is looked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Window {
    /// At some step up to the horizon.
    Horizon,
    /// At the end of that step.
    At(WhenAt),
    /// At the end of some step up to it.
    By(WhenAt),
    /// For at least `n` consecutive units, the run ending by `by` (the
    /// horizon when absent).
    For {
        /// How many units.
        n: u32,
        /// Which unit.
        unit: Unit,
        /// Where `n UNIT` is written.
        span: Range<usize>,
        /// The latest end of the run.
        by: Option<WhenAt>,
    },
}

/// One clause, before names are resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum ClauseKind {
    /// A milestone, possibly with a `by`/`before`/`at`/`after` moment.
    Milestone {
        /// The name as written (lower case).
        name: String,
        /// Where it is written.
        name_span: Range<usize>,
        /// How its step is tested.
        test: MilestoneTest,
    },
    /// `NAME CMP NUMBER`: a milestone's step or a variable's value (which
    /// one the model says), with an optional window (variables only).
    Compare {
        /// The name as written (lower case).
        name: String,
        /// Where it is written.
        name_span: Range<usize>,
        /// The comparison.
        cmp: Cmp,
        /// The number.
        value: f64,
        /// Where the number is written.
        value_span: Range<usize>,
        /// The window (`Horizon` when none is written).
        window: Window,
    },
    /// A built-in state and its window.
    State {
        /// The state.
        state: State,
        /// The window.
        window: Window,
    },
}

/// A clause, possibly negated.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseExpr {
    /// `not` before it.
    pub negated: bool,
    /// What it says.
    pub kind: ClauseKind,
    /// Its byte range in the text.
    pub span: Range<usize>,
}

/// An event as written: clauses joined by `and`.
#[derive(Debug, Clone, PartialEq)]
pub struct EventExpr {
    /// The clauses, all of which must hold.
    pub clauses: Vec<ClauseExpr>,
}

impl EventExpr {
    /// True when some clause gives its own moment or window (so that a
    /// question's `by` must not add another).
    pub fn has_window(&self) -> bool {
        self.clauses.iter().any(|c| match &c.kind {
            ClauseKind::Milestone { test, .. } => *test != MilestoneTest::Reached,
            ClauseKind::Compare { window, .. } | ClauseKind::State { window, .. } => {
                !matches!(window, Window::Horizon | Window::For { by: None, .. })
            }
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Num(f64, bool),
    Date(NaiveDate),
    Cmp(Cmp),
    End,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    span: Range<usize>,
}

fn err(span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) -> EventError {
    EventError {
        span,
        message: message.into(),
        hint: hint.into(),
    }
}

fn lex(text: &str) -> Result<Vec<Token>, EventError> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Word(text[start..i].to_ascii_lowercase()),
                span: start..i,
            });
        } else if c.is_ascii_digit() || (c == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            i += 1;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'-') {
                i += 1;
            }
            let word = &text[start..i];
            let bytes = word.as_bytes();
            if bytes.len() >= 5 && bytes[4] == b'-' {
                let date = parse_date(word).map_err(|e| err(start..i, e.message, e.hint))?;
                out.push(Token {
                    tok: Tok::Date(date),
                    span: start..i,
                });
            } else {
                let value: f64 = word
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite())
                    .ok_or_else(|| {
                        err(
                            start..i,
                            format!("`{word}` is not a number"),
                            "write a number such as `3` or `0.25`, or a date as YYYY-MM-DD",
                        )
                    })?;
                let integer = bytes.iter().skip(1).all(u8::is_ascii_digit);
                out.push(Token {
                    tok: Tok::Num(value, integer),
                    span: start..i,
                });
            }
        } else if b"<>=!".contains(&c) {
            let two = b.get(i + 1) == Some(&b'=');
            let cmp = match (c, two) {
                (b'=', true) => Some(Cmp::Eq),
                (b'!', true) => Some(Cmp::Ne),
                (b'<', true) => Some(Cmp::Le),
                (b'>', true) => Some(Cmp::Ge),
                (b'<', false) => Some(Cmp::Lt),
                (b'>', false) => Some(Cmp::Gt),
                _ => None,
            };
            let len = if two { 2 } else { 1 };
            let Some(cmp) = cmp else {
                return Err(err(
                    start..start + 1,
                    format!("`{}` is not a comparison", c as char),
                    "comparisons are ==, !=, <, <=, >, >=",
                ));
            };
            i += len;
            out.push(Token {
                tok: Tok::Cmp(cmp),
                span: start..i,
            });
        } else {
            let ch = text[start..].chars().next().unwrap_or('?');
            let end = start + ch.len_utf8();
            let hint = match ch {
                '|' | ',' => "events join clauses with `and` only; there is no `or`",
                '&' => "join clauses with the word `and`",
                '(' | ')' => {
                    "events have no parentheses: clauses joined by `and`, each may start with `not`"
                }
                _ => "an event is made of words, numbers, dates (YYYY-MM-DD) and comparisons",
            };
            return Err(err(start..end, format!("unexpected `{ch}`"), hint));
        }
    }
    out.push(Token {
        tok: Tok::End,
        span: text.len()..text.len(),
    });
    Ok(out)
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
}

const RELATIONS: &str = "`by`, `before`, `at`, `after`";

impl Parser {
    fn peek(&self) -> &Token {
        &self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn peek_word(&self) -> Option<&str> {
        match &self.peek().tok {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }

    fn shown(t: &Token) -> String {
        match &t.tok {
            Tok::End => "the end of the event".into(),
            Tok::Word(w) => format!("`{w}`"),
            Tok::Num(v, _) => format!("`{v}`"),
            Tok::Date(d) => format!("`{d}`"),
            Tok::Cmp(c) => format!("`{}`", c.symbol()),
        }
    }

    fn integer(&mut self, what: &str) -> Result<(u32, Range<usize>), EventError> {
        let t = self.next();
        match t.tok {
            Tok::Num(v, true) if (0.0..=f64::from(u32::MAX)).contains(&v) => Ok((v as u32, t.span)),
            _ => Err(err(
                t.span.clone(),
                format!("expected {what}, found {}", Self::shown(&t)),
                "write a whole number of 0 or more",
            )),
        }
    }

    fn when(&mut self) -> Result<WhenAt, EventError> {
        let t = self.next();
        let start = t.span.start;
        let when = match &t.tok {
            Tok::Date(d) => When::Date(*d),
            Tok::Word(w) if matches!(w.as_str(), "step" | "week" | "day") => {
                let (n, span) = self.integer("a number")?;
                let when = match w.as_str() {
                    "step" => When::Step(n),
                    "week" => When::Week(n),
                    _ => When::Day(n),
                };
                return Ok(WhenAt {
                    when,
                    span: start..span.end,
                });
            }
            _ => {
                return Err(err(
                    t.span.clone(),
                    format!("expected a moment, found {}", Self::shown(&t)),
                    "a moment is `step N`, `week N`, `day N` or a date YYYY-MM-DD",
                ));
            }
        };
        Ok(WhenAt { when, span: t.span })
    }

    fn window(&mut self) -> Result<Window, EventError> {
        match self.peek_word() {
            Some("at") => {
                self.next();
                Ok(Window::At(self.when()?))
            }
            Some("by") => {
                self.next();
                Ok(Window::By(self.when()?))
            }
            Some("for") => {
                self.next();
                let (n, nspan) = self.integer("a number")?;
                let t = self.next();
                let unit = match &t.tok {
                    Tok::Word(w) => match w.as_str() {
                        "step" | "steps" => Some(Unit::Step),
                        "week" | "weeks" => Some(Unit::Week),
                        "day" | "days" => Some(Unit::Day),
                        _ => None,
                    },
                    _ => None,
                };
                let Some(unit) = unit else {
                    return Err(err(
                        t.span.clone(),
                        format!("expected a unit of time, found {}", Self::shown(&t)),
                        "write `steps`, `weeks` or `days`, for example `war for 8 weeks`",
                    ));
                };
                if n == 0 {
                    return Err(err(
                        nspan.start..t.span.end,
                        "a run of zero length always holds",
                        "write at least 1, for example `for 1 week`",
                    ));
                }
                let span = nspan.start..t.span.end;
                let by = if self.peek_word() == Some("by") {
                    self.next();
                    Some(self.when()?)
                } else {
                    None
                };
                Ok(Window::For { n, unit, span, by })
            }
            _ => Ok(Window::Horizon),
        }
    }

    fn clause(&mut self) -> Result<ClauseExpr, EventError> {
        let first = self.peek().span.start;
        let negated = self.peek_word() == Some("not");
        if negated {
            self.next();
        }
        let t = self.next();
        let Tok::Word(word) = &t.tok else {
            return Err(err(
                t.span.clone(),
                format!("expected a milestone or a state, found {}", Self::shown(&t)),
                "a clause starts with a milestone (`deal`, `first_strike`), `rung`, `talks`, `war`, `ceasefire` or a variable",
            ));
        };
        let kind = match word.as_str() {
            "rung" => {
                let c = self.next();
                let Tok::Cmp(cmp) = c.tok else {
                    return Err(err(
                        c.span.clone(),
                        format!(
                            "expected a comparison after `rung`, found {}",
                            Self::shown(&c)
                        ),
                        "for example `rung >= 4`",
                    ));
                };
                let (n, _) = self.integer("a rung")?;
                ClauseKind::State {
                    state: State::Rung(cmp, i64::from(n)),
                    window: self.window()?,
                }
            }
            "talks" => {
                let s = self.next();
                let state = match &s.tok {
                    Tok::Word(w) if w == "active" => State::TalksActive,
                    Tok::Word(w) if w == "suspended" => State::TalksSuspended,
                    _ => {
                        return Err(err(
                            s.span.clone(),
                            format!(
                                "expected `active` or `suspended`, found {}",
                                Self::shown(&s)
                            ),
                            "write `talks active` or `talks suspended`",
                        ));
                    }
                };
                ClauseKind::State {
                    state,
                    window: self.window()?,
                }
            }
            "war" => ClauseKind::State {
                state: State::War,
                window: self.window()?,
            },
            "ceasefire" if matches!(self.peek_word(), Some("at" | "for")) => ClauseKind::State {
                state: State::Ceasefire,
                window: self.window()?,
            },
            "and" | "not" | "by" | "before" | "at" | "after" | "for" => {
                return Err(err(
                    t.span.clone(),
                    format!("expected a milestone or a state, found `{word}`"),
                    "a clause starts with a milestone (`deal`, `first_strike`), `rung`, `talks`, `war`, `ceasefire` or a variable",
                ));
            }
            _ => {
                let name = word.clone();
                let name_span = t.span.clone();
                if let Tok::Cmp(cmp) = self.peek().tok {
                    self.next();
                    let v = self.next();
                    let Tok::Num(value, _) = v.tok else {
                        return Err(err(
                            v.span.clone(),
                            format!(
                                "expected a number after `{}`, found {}",
                                cmp.symbol(),
                                Self::shown(&v)
                            ),
                            format!("for example `{name} {} 3`", cmp.symbol()),
                        ));
                    };
                    ClauseKind::Compare {
                        name,
                        name_span,
                        cmp,
                        value,
                        value_span: v.span,
                        window: self.window()?,
                    }
                } else {
                    let test = match self.peek_word() {
                        Some("by") => {
                            self.next();
                            MilestoneTest::By(self.when()?)
                        }
                        Some("before") => {
                            self.next();
                            MilestoneTest::Before(self.when()?)
                        }
                        Some("at") => {
                            self.next();
                            MilestoneTest::At(self.when()?)
                        }
                        Some("after") => {
                            self.next();
                            MilestoneTest::After(self.when()?)
                        }
                        Some("for") => {
                            let f = self.peek().span.clone();
                            return Err(err(
                                f,
                                format!("`{name}` is a moment, not a state that lasts"),
                                "`for` follows a state: `war for 8 weeks`, `ceasefire for 2 weeks`, `hormuz_shipping <= 0.2 for 1 week`",
                            ));
                        }
                        _ => MilestoneTest::Reached,
                    };
                    ClauseKind::Milestone {
                        name,
                        name_span,
                        test,
                    }
                }
            }
        };
        let end = self.toks[self.pos.saturating_sub(1)].span.end.max(first);
        Ok(ClauseExpr {
            negated,
            kind,
            span: first..end,
        })
    }
}

/// Parses an event.
pub fn parse(text: &str) -> Result<EventExpr, EventError> {
    let toks = lex(text)?;
    let mut p = Parser { toks, pos: 0 };
    if p.peek().tok == Tok::End {
        return Err(err(
            0..text.len(),
            "the event is empty",
            "write an event such as `deal by 2026-12-31` or `rung >= 4 by step 3`",
        ));
    }
    let mut clauses = vec![p.clause()?];
    loop {
        let t = p.next();
        match &t.tok {
            Tok::End => break,
            Tok::Word(w) if w == "and" => clauses.push(p.clause()?),
            Tok::Word(w) if w == "or" => {
                return Err(err(
                    t.span,
                    "events have no `or`",
                    "join clauses with `and`; for either of two events ask two questions, or ask the opposite: `not a and not b`",
                ));
            }
            _ => {
                let hint = match &t.tok {
                    Tok::Word(w)
                        if matches!(w.as_str(), "by" | "at" | "for" | "before" | "after") =>
                    {
                        "a clause takes one moment or window".to_string()
                    }
                    _ => format!(
                        "join clauses with `and`; a milestone takes {RELATIONS} and a moment"
                    ),
                };
                return Err(err(
                    t.span.clone(),
                    format!("unexpected {}", Parser::shown(&t)),
                    hint,
                ));
            }
        }
    }
    Ok(EventExpr { clauses })
}
