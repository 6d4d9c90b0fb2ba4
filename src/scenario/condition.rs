//! Parsing of condition text such as `"rung >= 3"` or `"not talks_active"`.

use crate::world::{Cmp, Condition, Subject, VarInfo};

use super::diagnostic::suggestion_hint;

/// Why a condition could not be read, with a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

const FORM_HINT: &str = "write `VARIABLE OP NUMBER` (for example `rung >= 3` or `stockpile < 500`), \
or a flag: `talks_active`, `incident`, `ceasefire`, `interim`, each possibly preceded by `not`";

/// Parses one condition.
pub fn parse_condition(text: &str, vars: &[VarInfo]) -> Result<Condition, ConditionError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(ConditionError {
            message: "empty condition".into(),
            hint: FORM_HINT.into(),
        });
    }
    let (negated, rest) = match t.strip_prefix("not ") {
        Some(r) => (true, r.trim()),
        None => (false, t),
    };
    let ops = ["<=", ">=", "==", "!=", "<", ">"];
    let found = ops.iter().find_map(|op| rest.find(op).map(|i| (i, *op)));
    let Some((at, op)) = found else {
        let subject = lookup(rest, vars)?;
        if !subject.is_flag() {
            return Err(ConditionError {
                message: format!("`{rest}` is a number, not a yes/no flag"),
                hint: format!("compare it with a number, for example `{rest} >= 0.5`"),
            });
        }
        return Ok(Condition {
            subject,
            cmp: Cmp::Eq,
            threshold: if negated { 0.0 } else { 1.0 },
        });
    };
    if negated {
        return Err(ConditionError {
            message: "`not` applies only to the flags `talks_active`, `incident`, `ceasefire` and `interim`".into(),
            hint: "invert the comparison instead, for example `rung < 3` for `not rung >= 3`"
                .into(),
        });
    }
    let name = rest[..at].trim();
    let number = rest[at + op.len()..].trim();
    let subject = lookup(name, vars)?;
    let cmp = match op {
        "<" => Cmp::Lt,
        "<=" => Cmp::Le,
        ">" => Cmp::Gt,
        ">=" => Cmp::Ge,
        "==" => Cmp::Eq,
        _ => Cmp::Ne,
    };
    let threshold: f64 = match number.parse::<f64>() {
        Ok(x) if x.is_finite() => x,
        _ => {
            return Err(ConditionError {
                message: format!("`{number}` is not a finite number"),
                hint: FORM_HINT.into(),
            });
        }
    };
    if subject.is_flag() && threshold != 0.0 && threshold != 1.0 {
        return Err(ConditionError {
            message: format!("`{}` is a flag: it is 0 or 1", subject.name(vars)),
            hint: format!("write `{0}` or `not {0}`", subject.name(vars)),
        });
    }
    Ok(Condition {
        subject,
        cmp,
        threshold,
    })
}

fn lookup(name: &str, vars: &[VarInfo]) -> Result<Subject, ConditionError> {
    Subject::from_name(name, vars).ok_or_else(|| ConditionError {
        message: if name.is_empty() {
            "a condition needs a variable before its operator".into()
        } else {
            format!("unknown variable `{name}` in condition")
        },
        hint: suggestion_hint(name, &Subject::names(vars), "variables"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::Var;

    #[test]
    fn reads_comparisons_and_flags() {
        let c = parse_condition("stockpile >= 480", &VarInfo::builtin()).unwrap();
        assert_eq!(c.subject, Subject::Var(Var::STOCKPILE));
        assert_eq!(c.cmp, Cmp::Ge);
        assert_eq!(c.threshold, 480.0);
        let c = parse_condition("  not talks_active ", &VarInfo::builtin()).unwrap();
        assert_eq!(
            (c.subject, c.cmp, c.threshold),
            (Subject::TalksActive, Cmp::Eq, 0.0)
        );
        let c = parse_condition("rung<3", &VarInfo::builtin()).unwrap();
        assert_eq!(
            (c.subject, c.cmp, c.threshold),
            (Subject::Rung, Cmp::Lt, 3.0)
        );
    }

    #[test]
    fn explains_mistakes() {
        let e = parse_condition("stockpil > 3", &VarInfo::builtin()).unwrap_err();
        assert!(e.hint.contains("stockpile"), "{e:?}");
        assert!(parse_condition("trust", &VarInfo::builtin()).is_err());
        assert!(parse_condition("rung >= x", &VarInfo::builtin()).is_err());
        assert!(parse_condition("rung >= inf", &VarInfo::builtin()).is_err());
        assert!(parse_condition("talks_active == 2", &VarInfo::builtin()).is_err());
        assert!(parse_condition("", &VarInfo::builtin()).is_err());
        assert!(parse_condition("not rung > 2", &VarInfo::builtin()).is_err());
    }
}
