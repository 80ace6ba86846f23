//! Baseline errors: every problem found in one run, each with its location.

use crate::finding::Loc;
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use std::fmt;
use std::sync::Arc;

/// One problem in the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct BaselineError {
    pub message: String,
    pub loc: Option<Loc>,
    /// The text of the label under the offending value.
    pub label: String,
    pub help: Option<String>,
}

/// Errors shown in full; the others are counted.
pub const SHOWN: usize = 50;

/// All the problems of one baseline file, reported together.
#[derive(Debug, Clone)]
pub struct BaselineErrors {
    pub path: String,
    pub errors: Vec<Located>,
}

/// A [`BaselineError`] with the text it points into.
#[derive(Debug, Clone)]
pub struct Located {
    pub error: BaselineError,
    source: NamedSource<Arc<str>>,
    /// `path:line:column` when the line is too long to quote (the error then
    /// says where, without a snippet).
    place: Option<String>,
}

/// Lines longer than this are not quoted: the place is named instead.
const QUOTED_LINE: usize = 1_000;

/// The length of the line that holds `offset`.
fn line_len(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    end - start
}

impl BaselineErrors {
    pub fn new(path: &str, text: &str, errors: Vec<BaselineError>) -> BaselineErrors {
        let shared: Arc<str> = Arc::from(text);
        BaselineErrors {
            path: path.to_string(),
            errors: errors
                .into_iter()
                .map(|error| {
                    let place = error
                        .loc
                        .filter(|l| line_len(text, l.offset) > QUOTED_LINE)
                        .map(|l| format!("{path}:{}:{}", l.line, l.column));
                    Located {
                        error,
                        source: NamedSource::new(path, shared.clone()),
                        place,
                    }
                })
                .collect(),
        }
    }

    /// `path:line:column: message` lines, for logs and tests.
    pub fn lines(&self) -> Vec<String> {
        self.errors
            .iter()
            .map(|l| match l.error.loc {
                Some(loc) => format!(
                    "{}:{}:{}: {}",
                    self.path, loc.line, loc.column, l.error.message
                ),
                None => format!("{}: {}", self.path, l.error.message),
            })
            .collect()
    }
}

impl fmt::Display for BaselineErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors.len();
        write!(
            f,
            "`{}` is not a valid baseline: {n} error{}",
            self.path,
            if n == 1 { "" } else { "s" }
        )?;
        if n > SHOWN {
            write!(f, " (the first {SHOWN} are shown; fix them and run again)")?;
        }
        Ok(())
    }
}

impl std::error::Error for BaselineErrors {}

impl Diagnostic for BaselineErrors {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("drift::baseline"))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(
            self.errors.iter().take(SHOWN).map(|e| e as &dyn Diagnostic),
        ))
    }
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(place) => write!(f, "{place}: {}", self.error.message),
            None => f.write_str(&self.error.message),
        }
    }
}

impl std::error::Error for Located {}

impl Diagnostic for Located {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.error
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        if self.place.is_some() {
            return None;
        }
        self.error.loc.map(|_| &self.source as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.place.is_some() {
            return None;
        }
        let loc = self.error.loc?;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(self.error.label.clone()),
            loc.offset,
            loc.len.max(1),
        ))))
    }
}
