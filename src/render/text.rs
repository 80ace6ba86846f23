//! Text from the input, made safe to print: a plan's addresses, names and values
//! can hold newlines, terminal escapes and markup that would forge lines in a
//! CI log (`::warning::…`, ANSI sequences) or links and mentions in a comment.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether a character would act instead of showing: C0 and C1 controls, DEL,
/// line and paragraph separators, and the bidirectional overrides that reorder
/// what a reader sees.
fn acts(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The text with every character that acts written as an escape (`\n`,
/// `\u{1b}`), on one line.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(acts) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if acts(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text that starts a line of a CI log: never a workflow command (`::name::`).
pub fn line_start(s: &str) -> Cow<'_, str> {
    let v = visible(s);
    if v.starts_with("::") {
        Cow::Owned(format!("\\{v}"))
    } else {
        v
    }
}

/// Text as a markdown code span: on one line, visible, fenced by one backtick
/// more than its longest run of backticks (so that no run inside closes it),
/// with a space inside each fence when needed (so that a backtick at either
/// end stays content). A code span's content is literal: no HTML, link or mention.
/// For a table cell, `|` is escaped too (GitHub splits cells on it even
/// inside a span).
pub fn code_span(s: &str, in_table: bool) -> String {
    let v = visible(s);
    let mut longest = 0;
    let mut run = 0;
    for c in v.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let ticks = "`".repeat(longest + 1);
    let body = if in_table {
        v.replace('|', "\\|")
    } else {
        v.into_owned()
    };
    // GitHub strips one space inside each fence when both are there: pad
    // when the text starts or ends with a backtick, or with a space at both.
    let pad = body.starts_with('`')
        || body.ends_with('`')
        || (body.starts_with(' ') && body.ends_with(' '))
        || body.is_empty();
    if pad {
        format!("{ticks} {body} {ticks}")
    } else {
        format!("{ticks}{body}{ticks}")
    }
}

/// Text for markdown: visible, and no HTML, table breaks, links or mentions.
pub fn markdown(s: &str) -> String {
    visible(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('[', "\\[")
        .replace(']', "\\]")
        .replace('@', "&#64;")
}

/// The first `max` lines of a text, and a last line counting the others.
pub fn bounded_lines(text: &str, max: usize) -> Vec<String> {
    let total = text.lines().count();
    let mut out: Vec<String> = text.lines().take(max).map(str::to_string).collect();
    if total > max {
        out.push(format!(
            "… {} more line{}",
            total - max,
            if total - max == 1 { "" } else { "s" }
        ));
    }
    out
}

/// Text wrapped to `width` columns at spaces: the first line continues after
/// `used` columns already written, later lines start with `indent` spaces.
/// A word longer than a line is kept whole (an ARN is not broken). Widths are
/// counted in characters; the text holds no escapes (it went through
/// [`visible`]).
pub fn wrap(text: &str, used: usize, indent: usize, width: Option<usize>) -> String {
    let Some(width) = width else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len() + 16);
    let mut column = used;
    let mut first = true;
    for word in text.split(' ') {
        let len = word.chars().count();
        if first {
            out.push_str(word);
            column += len;
            first = false;
            continue;
        }
        if column + 1 + len > width && column > indent {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str(word);
            column = indent + len;
        } else {
            out.push(' ');
            out.push_str(word);
            column += 1 + len;
        }
    }
    out
}
