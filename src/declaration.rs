//! Where a Terraform resource is declared: the `.tf` file and line of its
//! `resource "TYPE" "NAME" {` block, so that an annotation on a pull request
//! lands on the code that changes IAM (a plan's JSON holds no positions; its
//! `configuration` gives the module calls' sources, the files give the rest).
//! Pure: the shell reads the files and hands their text over.

use std::collections::HashMap;

/// A `resource` block found in a `.tf` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub ty: String,
    pub name: String,
    /// 1-based.
    pub line: u32,
}

/// The `resource "TYPE" "NAME"` blocks of a `.tf` file, by their first line.
/// A block is recognised by its header on one line, as `terraform fmt`
/// writes it; text inside heredocs and comments is skipped.
pub fn resource_blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut heredoc: Option<String> = None;
    let mut comment = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(end) = &heredoc {
            if trimmed == end {
                heredoc = None;
            }
            continue;
        }
        if comment {
            if trimmed.contains("*/") {
                comment = false;
            }
            continue;
        }
        if trimmed.starts_with("/*") && !trimmed.contains("*/") {
            comment = true;
            continue;
        }
        if let Some(at) = line.find("<<") {
            let tag = line[at + 2..].trim_start_matches('-').trim();
            if !tag.is_empty() && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                heredoc = Some(tag.to_string());
            }
        }
        if let Some(block) = header(trimmed) {
            out.push(Block {
                ty: block.0,
                name: block.1,
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
            });
        }
    }
    out
}

/// `resource "aws_iam_role" "app" {` as its type and name.
fn header(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("resource")?;
    if !rest.starts_with([' ', '\t', '"']) {
        return None;
    }
    let (ty, rest) = quoted(rest.trim_start())?;
    let (name, rest) = quoted(rest.trim_start())?;
    rest.trim_start().starts_with('{').then_some((ty, name))
}

fn quoted(s: &str) -> Option<(String, &str)> {
    let inner = s.strip_prefix('"')?;
    let end = inner.find('"')?;
    Some((inner[..end].to_string(), &inner[end + 1..]))
}

/// Declarations by module path (call names), type and name.
#[derive(Debug, Default)]
pub struct Declarations {
    by_resource: HashMap<(Vec<String>, String, String), (String, u32)>,
}

impl Declarations {
    /// Adds the blocks of `file` (its path as annotations name it) of the
    /// module at `module` (call names; empty for the root module).
    pub fn add(&mut self, module: &[String], file: &str, blocks: Vec<Block>) {
        for b in blocks {
            self.by_resource
                .entry((module.to_vec(), b.ty, b.name))
                .or_insert_with(|| (file.to_string(), b.line));
        }
    }

    pub fn len(&self) -> usize {
        self.by_resource.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_resource.is_empty()
    }

    /// The file and line of the resource at a plan or state address
    /// (`module.a["x"].aws_iam_role.app[0]`); `None` for data sources and
    /// resources of modules whose files were not read.
    pub fn of_address(&self, address: &str) -> Option<(&str, u32)> {
        let module = crate::sources::terraform::config::module_path(address);
        let last = resource_part(address)?;
        let (ty, rest) = last.split_once('.')?;
        if ty == "data" {
            return None;
        }
        let name = rest.split('[').next().unwrap_or(rest);
        self.by_resource
            .get(&(module, ty.to_string(), name.to_string()))
            .map(|(file, line)| (file.as_str(), *line))
    }
}

/// The `TYPE.NAME[KEY]` part of an address, after its module calls.
fn resource_part(address: &str) -> Option<&str> {
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(['.', '[']).unwrap_or(after.len());
        rest = crate::sources::terraform::config::skip_key(&after[end..]);
        rest = rest.strip_prefix('.')?;
    }
    Some(rest)
}
