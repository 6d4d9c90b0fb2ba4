//! Preconditions compiled to bit masks. Actions share few distinct
//! conditions (`talks_active`, `rung >= 4`, ...), so each distinct one is
//! tested once per state, its answer kept as one bit, and an action is open
//! when every bit of its mask is set: one AND and one compare per action and
//! per move instead of a condition walk per action.

use crate::model::Model;
use crate::world::Condition;

/// Most distinct conditions a mask holds; a model with more keeps the walk.
pub const MAX_DISTINCT: usize = 32;

/// The distinct preconditions of a model and the mask of each action and move.
#[derive(Debug, Clone)]
pub struct Preconditions {
    /// Each distinct condition once (bit `k` of a mask is condition `k`).
    distinct: Vec<Condition>,
    /// The mask of each move's action, in move order (32 bits, so the
    /// compare runs several moves per instruction even on baseline x86-64).
    move_masks: Vec<u32>,
}

impl Preconditions {
    /// The masks of `model`'s actions and moves, or `None` when the model has
    /// more than [`MAX_DISTINCT`] distinct conditions.
    pub fn compile(model: &Model) -> Option<Self> {
        let mut distinct: Vec<Condition> = Vec::new();
        let mut action_masks = Vec::with_capacity(model.actions.len());
        for action in &model.actions {
            let mut mask = 0u32;
            let range = action.requires.start as usize..action.requires.end as usize;
            for c in &model.conditions[range] {
                let k = match distinct.iter().position(|d| same(d, c)) {
                    Some(k) => k,
                    None => {
                        distinct.push(*c);
                        distinct.len() - 1
                    }
                };
                if k >= MAX_DISTINCT {
                    return None;
                }
                mask |= 1 << k;
            }
            action_masks.push(mask);
        }
        let move_masks = model
            .moves
            .iter()
            .map(|mv| action_masks[usize::from(mv.action)])
            .collect();
        Some(Self {
            distinct,
            move_masks,
        })
    }

    /// The distinct conditions, in bit order.
    pub fn distinct(&self) -> &[Condition] {
        &self.distinct
    }

    /// Sets `move_open` from `truth`, whose bit `k` tells whether distinct
    /// condition `k` holds.
    #[inline]
    pub fn fill(&self, truth: u32, move_open: &mut [bool]) {
        for (open, &mask) in move_open.iter_mut().zip(&self.move_masks) {
            *open = truth & mask == mask;
        }
    }
}

/// The same test: subject, comparison and the very same threshold bits.
fn same(a: &Condition, b: &Condition) -> bool {
    a.subject == b.subject && a.cmp == b.cmp && a.threshold.to_bits() == b.threshold.to_bits()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_shares_conditions_and_each_move_mask_is_its_action_requirements() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/muscat-2026.toml");
        let (s, _) = crate::scenario::load(&path).unwrap();
        let m = Model::compile(&s);
        let p = Preconditions::compile(&m).expect("few distinct conditions");
        assert!(
            p.distinct().len() < m.conditions.len(),
            "conditions are shared"
        );
        for (mv, &mask) in m.moves.iter().zip(&p.move_masks) {
            let a = &m.actions[usize::from(mv.action)];
            let wanted = &m.conditions[a.requires.start as usize..a.requires.end as usize];
            for k in 0..p.distinct().len() {
                let bit = mask >> k & 1 == 1;
                assert_eq!(bit, wanted.iter().any(|c| same(c, &p.distinct()[k])));
            }
            for c in wanted {
                assert!(
                    p.distinct()
                        .iter()
                        .enumerate()
                        .any(|(k, d)| same(c, d) && mask >> k & 1 == 1)
                );
            }
        }
    }
}
