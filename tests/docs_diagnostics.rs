//! Every diagnostic of the compile-fail suite is documented.
//!
//! Reads each `tests/ui/**/*.stderr`, takes the message of every
//! `error: <message>` and `error[Exxxx]: <message>` line, and checks that
//! `src/docs/differentiable.md` (the crate docs that `#[differentiable]`
//! points to) lists a pattern matching it. A pattern is any ``` ``…`` ```
//! code span of that file (double backticks, so the message's own backticks
//! fit inside); in a pattern, `{name}` (any text in braces) stands for any
//! text, so ``unknown method `{name}` …`` matches every method name.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The file that documents the diagnostics, relative to the package root.
const DOC: &str = "src/docs/differentiable.md";
/// The compile-fail suite whose messages must be documented.
const UI: &str = "tests/ui";

/// One piece of a pattern: text to match exactly, or a placeholder.
#[derive(Debug, PartialEq)]
enum Piece {
    Text(String),
    Any,
}

/// The pattern of a documented message: `{…}` becomes a placeholder.
fn pieces(pattern: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        match rest[open + 1..].find(['{', '}']) {
            Some(close) if rest.as_bytes()[open + 1 + close] == b'}' => {
                text.push_str(&rest[..open]);
                if !text.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut text)));
                }
                out.push(Piece::Any);
                rest = &rest[open + 1 + close + 1..];
            }
            // A brace that opens no placeholder is text.
            _ => {
                text.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    out
}

/// Whether `message` matches `pattern` as a whole (placeholders match any
/// text, possibly empty).
fn matches(pattern: &[Piece], message: &str) -> bool {
    match pattern.split_first() {
        None => message.is_empty(),
        Some((Piece::Text(t), rest)) => message
            .strip_prefix(t.as_str())
            .is_some_and(|m| matches(rest, m)),
        Some((Piece::Any, rest)) => message
            .char_indices()
            .map(|(i, _)| i)
            .chain([message.len()])
            .any(|i| matches(rest, &message[i..])),
    }
}

/// The double-backtick code spans of a markdown text outside fenced code
/// blocks, trimmed of the space that separates a span from backticks at its
/// ends.
fn patterns(markdown: &str) -> Vec<String> {
    let mut prose = String::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    prose
        .split("``")
        .skip(1)
        .step_by(2)
        .map(|span| span.replace('\n', " ").trim().to_string())
        .filter(|span| !span.is_empty())
        .collect()
}

/// The message of an `error: …` or `error[E0425]: …` line.
fn message(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("error")?;
    let rest = match rest.strip_prefix('[') {
        Some(code) => &code[code.find(']')? + 1..],
        None => rest,
    };
    Some(rest.strip_prefix(": ")?.trim_end())
}

/// Every `.stderr` under `dir`, sorted.
fn stderr_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in
            std::fs::read_dir(&d).unwrap_or_else(|e| panic!("reading {}: {e}", d.display()))
        {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "stderr") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_ui_diagnostic_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc =
        std::fs::read_to_string(root.join(DOC)).unwrap_or_else(|e| panic!("reading {DOC}: {e}"));
    let documented: Vec<Vec<Piece>> = patterns(&doc).iter().map(|p| pieces(p)).collect();

    let files = stderr_files(&root.join(UI));
    assert!(!files.is_empty(), "no .stderr files under {UI}");
    let mut seen = 0;
    let mut missing: Vec<(String, String)> = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
        let name = file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string();
        for msg in text.lines().filter_map(message) {
            seen += 1;
            let known = documented.iter().any(|p| matches(p, msg));
            if !known && !missing.iter().any(|(_, m)| m == msg) {
                missing.push((name.clone(), msg.to_string()));
            }
        }
    }
    assert!(
        seen > 0,
        "no `error:` lines in the .stderr files under {UI}"
    );

    if !missing.is_empty() {
        let mut report = format!(
            "{} diagnostic message(s) in {UI}/**/*.stderr are not documented.\n\
             Add each to the \"Diagnostics\" section of {DOC} (the crate docs that \
             #[differentiable] points to) as a ``double-backtick`` code span, with \
             `{{name}}` for the parts that vary, followed by what to write instead:\n",
            missing.len()
        );
        for (file, msg) in &missing {
            let _ = writeln!(report, "  - {file}: {msg}");
        }
        panic!("{report}");
    }
}

#[test]
fn patterns_match_whole_messages_with_placeholders() {
    let p = pieces("unknown method `{name}` in fns; write `{name}_grad`");
    assert!(matches(&p, "unknown method `foo` in fns; write `foo_grad`"));
    assert!(matches(&p, "unknown method `a b` in fns; write `c_grad`"));
    assert!(!matches(
        &p,
        "unknown method `foo` in fns; write `foo_grad` and more"
    ));
    assert!(!matches(
        &p,
        "an unknown method `foo` in fns; write `foo_grad`"
    ));
    let p = pieces("`{op}` of vectors of different lengths: [_; {n}] and [_; {m}]");
    assert!(matches(
        &p,
        "`dot` of vectors of different lengths: [_; 3] and [_; 4]"
    ));
    assert!(matches(&pieces("no placeholder"), "no placeholder"));
    assert!(!matches(&pieces("no placeholder"), "no placeholders"));
    assert_eq!(
        patterns("a ``one `x` two`` b\n```\ncode ``\n```\n`` `y` three `` c"),
        ["one `x` two", "`y` three"]
    );
    assert_eq!(message("error: text `x`"), Some("text `x`"));
    assert_eq!(message("error[E0425]: cannot find"), Some("cannot find"));
    assert_eq!(message("warning: unused"), None);
}
