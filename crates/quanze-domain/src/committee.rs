//! A community's own structure (`docs/domain.md` §5a): the 社区两委 — the party organization's
//! committee (社区党组织委员会) and the residents' committee (居民委员会; a village's 村民委员会) —
//! and a village's 村务监督委员会, whose members are the community's [`crate::Leader`]s with the
//! seats they hold; and the 岗位 (社区工作者 posts, 网格员 …) of its 站 and 办.
//!
//! The street model is reused where it fits: a community's 站/办 are [`crate::Unit`]s, its 两委
//! members are [`crate::Leader`]s, and "one 两委 member in charge of each 站" is the unit's
//! `leaders_in_charge`. Only what a community has and a street has not is added here: a seat on
//! a committee (书记 and 主任 are often one person, 一肩挑; a member of both committees is 交叉任职)
//! and the posts of a unit.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A committee a community's members are elected to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub enum Committee {
    /// 社区（村）党组织委员会: 党委, 党总支 or 党支部.
    #[serde(rename = "党组织", alias = "party")]
    Party,
    /// 居民委员会, or a village's 村民委员会.
    #[serde(rename = "居委会", alias = "村委会", alias = "residents")]
    Residents,
    /// A village's 村务监督委员会.
    #[serde(rename = "监委会", alias = "村务监督委员会", alias = "supervision")]
    Supervision,
}

impl Committee {
    pub fn label(self) -> &'static str {
        match self {
            Committee::Party => "党组织",
            Committee::Residents => "居委会",
            Committee::Supervision => "监委会",
        }
    }

    /// The seat that heads the committee: 书记 of the party committee, 主任 of the others.
    pub fn head(self) -> CommitteeSeat {
        match self {
            Committee::Party => CommitteeSeat::PartySecretary,
            Committee::Residents => CommitteeSeat::ResidentsDirector,
            Committee::Supervision => CommitteeSeat::SupervisionDirector,
        }
    }
}

/// A seat on one committee. A person may hold several (书记、主任一肩挑; 交叉任职).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub enum CommitteeSeat {
    #[serde(rename = "党组织书记", alias = "书记")]
    PartySecretary,
    #[serde(rename = "党组织副书记", alias = "副书记")]
    PartyDeputySecretary,
    #[serde(rename = "党组织委员")]
    PartyMember,
    #[serde(rename = "居委会主任", alias = "村委会主任", alias = "主任")]
    ResidentsDirector,
    #[serde(rename = "居委会副主任", alias = "村委会副主任", alias = "副主任")]
    ResidentsDeputyDirector,
    #[serde(rename = "居委会委员", alias = "村委会委员")]
    ResidentsMember,
    #[serde(rename = "监委会主任", alias = "村务监督委员会主任")]
    SupervisionDirector,
    #[serde(rename = "监委会委员", alias = "村务监督委员会委员")]
    SupervisionMember,
}

impl CommitteeSeat {
    pub const ALL: [CommitteeSeat; 8] = [
        CommitteeSeat::PartySecretary,
        CommitteeSeat::PartyDeputySecretary,
        CommitteeSeat::PartyMember,
        CommitteeSeat::ResidentsDirector,
        CommitteeSeat::ResidentsDeputyDirector,
        CommitteeSeat::ResidentsMember,
        CommitteeSeat::SupervisionDirector,
        CommitteeSeat::SupervisionMember,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CommitteeSeat::PartySecretary => "党组织书记",
            CommitteeSeat::PartyDeputySecretary => "党组织副书记",
            CommitteeSeat::PartyMember => "党组织委员",
            CommitteeSeat::ResidentsDirector => "居委会主任",
            CommitteeSeat::ResidentsDeputyDirector => "居委会副主任",
            CommitteeSeat::ResidentsMember => "居委会委员",
            CommitteeSeat::SupervisionDirector => "监委会主任",
            CommitteeSeat::SupervisionMember => "监委会委员",
        }
    }

    pub fn committee(self) -> Committee {
        match self {
            CommitteeSeat::PartySecretary | CommitteeSeat::PartyDeputySecretary | CommitteeSeat::PartyMember => {
                Committee::Party
            }
            CommitteeSeat::ResidentsDirector
            | CommitteeSeat::ResidentsDeputyDirector
            | CommitteeSeat::ResidentsMember => Committee::Residents,
            CommitteeSeat::SupervisionDirector | CommitteeSeat::SupervisionMember => Committee::Supervision,
        }
    }

    /// The seat a user typed: its label or one of the words a bundle accepts (书记, 主任,
    /// 村委会主任 …). `None` when it names no seat.
    pub fn parse(text: &str) -> Option<CommitteeSeat> {
        let text = text.trim();
        serde_norway::from_str::<CommitteeSeat>(text).ok().filter(|_| !text.is_empty())
    }
}

/// A post (岗位) of a community unit, e.g. 网格员 of the 网格管理站: how many the approval
/// allows (核定) and how many are filled (实配). Either may be unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UnitPost {
    /// e.g. 网格员, 综合受理岗, 社区工作者.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filled: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_read_their_labels_and_the_village_words() {
        for seat in CommitteeSeat::ALL {
            assert_eq!(CommitteeSeat::parse(seat.label()), Some(seat));
        }
        assert_eq!(CommitteeSeat::parse("村委会主任"), Some(CommitteeSeat::ResidentsDirector));
        assert_eq!(CommitteeSeat::parse(" 书记 "), Some(CommitteeSeat::PartySecretary));
        assert_eq!(CommitteeSeat::parse("站长"), None);
        assert_eq!(CommitteeSeat::parse(""), None);
    }

    #[test]
    fn each_committee_is_headed_by_one_of_its_own_seats() {
        for committee in [Committee::Party, Committee::Residents, Committee::Supervision] {
            assert_eq!(committee.head().committee(), committee);
        }
    }
}
