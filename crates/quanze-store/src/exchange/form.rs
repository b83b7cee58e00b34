//! The exchange form of a bundle: every entity keyed by its uid, its fields flattened
//! (`staffing.admin_posts`, `coordination.lead_unit`), every reference to another entity written
//! as that entity's uid instead of a row id. Two databases number their rows differently; in
//! this form the same entity reads the same in both, so that three of them (base, ours,
//! theirs) can be compared field by field, and a field of theirs can be written into ours.

use std::collections::{BTreeMap, HashMap};

use quanze_domain::{Bundle, Id, Uid};
use serde_json::{Map, Value};


use crate::{Result, StoreError};

/// The kinds of entity, in the order a merge writes them (what is referred to comes first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Kind {
    Jurisdiction,
    Leader,
    Unit,
    List,
    Item,
    AdmissionRequest,
    Waiver,
    Version,
    ChangeRequest,
}

impl Kind {
    pub(crate) const ALL: [Kind; 9] = [
        Kind::Jurisdiction,
        Kind::Leader,
        Kind::Unit,
        Kind::List,
        Kind::Item,
        Kind::AdmissionRequest,
        Kind::Waiver,
        Kind::Version,
        Kind::ChangeRequest,
    ];

    /// The entity's name as the audit log and the report write it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Kind::Jurisdiction => "辖区",
            Kind::Leader => "班子成员",
            Kind::Unit => "机构",
            Kind::List => "清单",
            Kind::Item => "事项",
            Kind::AdmissionRequest => "准入申请",
            Kind::Waiver => "豁免",
            Kind::Version => "版本",
            Kind::ChangeRequest => "调整申请",
        }
    }

    pub(crate) fn table(self) -> &'static str {
        match self {
            Kind::Jurisdiction => "jurisdictions",
            Kind::Leader => "leaders",
            Kind::Unit => "units",
            Kind::List => "lists",
            Kind::Item => "items",
            Kind::AdmissionRequest => "admission_requests",
            Kind::Waiver => "waivers",
            Kind::Version => "versions",
            Kind::ChangeRequest => "change_requests",
        }
    }

    /// The letter a finding key names a subject of this kind by (`quanze_checks::finding_key`).
    fn from_key_letter(letter: char) -> Option<Kind> {
        Some(match letter {
            'I' => Kind::Item,
            'U' => Kind::Unit,
            'L' => Kind::Leader,
            'C' => Kind::List,
            'J' => Kind::Jurisdiction,
            'R' => Kind::AdmissionRequest,
            _ => return None,
        })
    }

    /// Fields (flattened paths) that refer to another entity, and the kind they refer to.
    fn references(self) -> &'static [(&'static str, Kind)] {
        match self {
            Kind::Jurisdiction => &[("parent", Kind::Jurisdiction)],
            Kind::Leader => &[("jurisdiction", Kind::Jurisdiction)],
            Kind::Unit => &[
                ("jurisdiction", Kind::Jurisdiction),
                ("parent", Kind::Unit),
                ("leaders_in_charge", Kind::Leader),
            ],
            Kind::List => &[("jurisdiction", Kind::Jurisdiction), ("unit", Kind::Unit)],
            Kind::Item => ITEM_REFERENCES,
            Kind::AdmissionRequest => &[
                ("community", Kind::Jurisdiction),
                ("applicant_unit", Kind::Unit),
                ("admitted_item", Kind::Item),
            ],
            Kind::Waiver => &[],
            Kind::Version => &[("list", Kind::List), ("changes", Kind::ChangeRequest)],
            Kind::ChangeRequest => &[
                ("list", Kind::List),
                ("to_list", Kind::List),
                ("item", Kind::Item),
                ("after", Kind::Item),
                ("to_unit", Kind::Unit),
                ("requester_unit", Kind::Unit),
                ("version", Kind::Version),
            ],
        }
    }
}

const ITEM_REFERENCES: &[(&str, Kind)] = &[
    ("list", Kind::List),
    ("handling_unit", Kind::Unit),
    ("coordination.lead_unit", Kind::Unit),
    ("withdrawal.receiving_unit", Kind::Unit),
    ("assistance.requesting_unit", Kind::Unit),
    ("assistance.admission_request", Kind::AdmissionRequest),
];

/// Flattened fields: dotted paths to values that are not objects; no nulls.
pub(crate) type Fields = BTreeMap<String, Value>;

/// One entity in exchange form.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FormEntity {
    pub kind: Kind,
    pub label: String,
    pub fields: Fields,
    /// An item's index in its list (not compared: see `docs/exchange.md`).
    pub position: u32,
}

/// A bundle in exchange form.
#[derive(Debug, Clone, Default)]
pub(crate) struct Form {
    pub entities: HashMap<Uid, FormEntity>,
    /// The row id each uid had in the bundle this form was made from (ours: the database's).
    pub local_ids: HashMap<Uid, Id>,
}

/// Where the uid of a referenced row id is found: a bundle's own maps, or the database.
pub(crate) trait Identities {
    fn uid(&self, kind: Kind, id: Id) -> Option<Uid>;
}

/// Row id → uid, per kind, of one bundle.
#[derive(Default)]
pub(crate) struct UidsOf(HashMap<(Kind, Id), Uid>);

impl Identities for UidsOf {
    fn uid(&self, kind: Kind, id: Id) -> Option<Uid> {
        self.0.get(&(kind, id)).cloned()
    }
}

/// The database's uids, looked up as they are needed.
pub(crate) struct StoredUids<'c> {
    conn: crate::backend::Conn<'c>,
    cache: std::cell::RefCell<HashMap<(Kind, Id), Option<Uid>>>,
    /// A lookup the database failed (not "no such row"): reported by [`StoredUids::finish`].
    failure: std::cell::RefCell<Option<StoreError>>,
}

impl<'c> StoredUids<'c> {
    pub(crate) fn new(conn: crate::backend::Conn<'c>) -> Self {
        StoredUids { conn, cache: std::cell::RefCell::default(), failure: std::cell::RefCell::default() }
    }

    /// The first failed lookup, if any: a reference is never shown as missing because the
    /// database could not be read.
    pub(crate) fn finish(self) -> Result<()> {
        self.failure.into_inner().map_or(Ok(()), Err)
    }
}

impl Identities for StoredUids<'_> {
    fn uid(&self, kind: Kind, id: Id) -> Option<Uid> {
        if let Some(known) = self.cache.borrow().get(&(kind, id)) {
            return known.clone();
        }
        let read = self
            .conn
            .query_opt(&format!("SELECT uid FROM {} WHERE id = ?1", kind.table()), &[super::id_param(id)])
            .and_then(|row| row.map(|row| row.optional_text(0)).transpose());
        let found: Option<Uid> = match read {
            Ok(uid) => uid.flatten().and_then(|u| Uid::parse(&u).ok()),
            Err(error) => {
                self.failure.borrow_mut().get_or_insert(error);
                None
            }
        };
        self.cache.borrow_mut().insert((kind, id), found.clone());
        found
    }
}

impl UidsOf {
    pub(crate) fn of(bundle: &Bundle) -> Result<UidsOf> {
        let mut uids = UidsOf::default();
        let mut add = |kind: Kind, id: Id, uid: &Option<Uid>, label: &str| -> Result<()> {
            let uid = uid.clone().ok_or_else(|| {
                StoreError::Invalid(format!("数据包中的{} #{id}（{label}）没有标识（uid），无法比较", kind.label()))
            })?;
            uids.0.insert((kind, id), uid);
            Ok(())
        };
        for j in &bundle.jurisdictions {
            add(Kind::Jurisdiction, j.id, &j.uid, &j.name)?;
        }
        for l in &bundle.leaders {
            add(Kind::Leader, l.id, &l.uid, &l.name)?;
        }
        for u in &bundle.units {
            add(Kind::Unit, u.id, &u.uid, &u.name)?;
        }
        for list in &bundle.lists {
            add(Kind::List, list.id, &list.uid, &list.name)?;
            for item in &list.items {
                add(Kind::Item, item.id, &item.uid, &item.name)?;
            }
        }
        for r in &bundle.admission_requests {
            add(Kind::AdmissionRequest, r.id, &r.uid, &r.item_name)?;
        }
        for w in &bundle.waivers {
            add(Kind::Waiver, w.id, &w.uid, &w.finding_key)?;
        }
        for v in &bundle.versions {
            add(Kind::Version, v.id, &v.uid, &v.number.to_string())?;
        }
        for c in &bundle.change_requests {
            add(Kind::ChangeRequest, c.id, &c.uid, &c.item_label)?;
        }
        Ok(uids)
    }

    /// Every uid of the bundle's entities.
    pub(crate) fn uids(&self) -> impl Iterator<Item = &Uid> {
        self.0.values()
    }

    /// Whether two bundles number their rows alike: every (kind, id) both use names the same
    /// entity. Then entities that are equal as written are equal in exchange form too.
    pub(crate) fn agrees_with(&self, other: &UidsOf) -> bool {
        self.0.iter().all(|(key, uid)| other.0.get(key).is_none_or(|o| o == uid))
    }
}

/// The entities of `theirs` that equal their copy in `base` as written, when the two number
/// their rows alike (a street's database loaded from the package keeps its ids): unchanged on
/// their side, so the merge need not look at them further. Empty when the numbering differs
/// (then every entity goes the whole way).
pub(crate) fn unchanged_on_their_side(
    (theirs, their_uids): (&Bundle, &UidsOf),
    (base, base_uids): (&Bundle, &UidsOf),
) -> std::collections::HashSet<Uid> {
    let mut unchanged = std::collections::HashSet::new();
    if !their_uids.agrees_with(base_uids) {
        return unchanged;
    }
    fn same<'a, T: PartialEq + 'a>(
        theirs: impl Iterator<Item = (&'a Option<Uid>, &'a T)>,
        base: impl Iterator<Item = (&'a Option<Uid>, &'a T)>,
        into: &mut std::collections::HashSet<Uid>,
    ) {
        let base: HashMap<&Uid, &T> = base.filter_map(|(u, t)| u.as_ref().map(|u| (u, t))).collect();
        for (uid, entity) in theirs {
            if let Some(uid) = uid.as_ref().filter(|u| base.get(u).is_some_and(|b| *b == entity)) {
                into.insert(uid.clone());
            }
        }
    }
    same(theirs.jurisdictions.iter().map(|e| (&e.uid, e)), base.jurisdictions.iter().map(|e| (&e.uid, e)), &mut unchanged);
    same(theirs.leaders.iter().map(|e| (&e.uid, e)), base.leaders.iter().map(|e| (&e.uid, e)), &mut unchanged);
    same(theirs.units.iter().map(|e| (&e.uid, e)), base.units.iter().map(|e| (&e.uid, e)), &mut unchanged);
    let list_part = |l: &quanze_domain::DutyList| (l.id, l.jurisdiction, l.unit, l.kind, l.name.clone(), l.note.clone());
    let their_lists: Vec<_> = theirs.lists.iter().map(|l| (&l.uid, list_part(l))).collect();
    let base_lists: Vec<_> = base.lists.iter().map(|l| (&l.uid, list_part(l))).collect();
    same(their_lists.iter().map(|(u, p)| (*u, p)), base_lists.iter().map(|(u, p)| (*u, p)), &mut unchanged);
    let (their_items, base_items) = (items_with_lists(theirs), items_with_lists(base));
    same(their_items.iter().map(|(u, i)| (*u, i)), base_items.iter().map(|(u, i)| (*u, i)), &mut unchanged);
    same(theirs.admission_requests.iter().map(|e| (&e.uid, e)), base.admission_requests.iter().map(|e| (&e.uid, e)), &mut unchanged);
    same(theirs.waivers.iter().map(|e| (&e.uid, e)), base.waivers.iter().map(|e| (&e.uid, e)), &mut unchanged);
    same(theirs.versions.iter().map(|e| (&e.uid, e)), base.versions.iter().map(|e| (&e.uid, e)), &mut unchanged);
    same(theirs.change_requests.iter().map(|e| (&e.uid, e)), base.change_requests.iter().map(|e| (&e.uid, e)), &mut unchanged);
    unchanged
}

/// Every item of a bundle with the id of its list.
fn items_with_lists(bundle: &Bundle) -> Vec<(&Option<Uid>, (Id, &quanze_domain::Item))> {
    bundle.lists.iter().flat_map(|l| l.items.iter().map(move |i| (&i.uid, (l.id, i)))).collect()
}

/// One entity's JSON (`value`, as serialised; an item's with `list` added) in exchange form.
fn entity_form(kind: Kind, label: String, mut value: Value, position: u32, ids: &dyn Identities) -> FormEntity {
    if let Value::Object(map) = &mut value {
        map.remove("id");
        map.remove("uid");
        if kind == Kind::List {
            map.remove("items");
        }
    }
    if kind == Kind::Version {
        if let Some(Value::Array(copies)) = value.get_mut("items") {
            for copy in copies.iter_mut() {
                item_copy_to_uids(copy, ids);
            }
        }
    }
    let mut fields = Fields::new();
    flatten("", value, &mut fields);
    references_to_uids(kind, &mut fields, ids);
    if kind == Kind::ChangeRequest {
        // The item of an approved 取消 is gone: its row id, left as a number, would name some
        // other item in another database. The request keeps the item's name (`item_label`).
        for path in ["item", "after"] {
            if fields.get(path).is_some_and(Value::is_number) {
                fields.remove(path);
            }
        }
    }
    if kind == Kind::Waiver {
        if let Some(Value::String(key)) = fields.get_mut("finding_key") {
            *key = finding_key_with_uids(key, ids);
        }
    }
    FormEntity { kind, label, fields, position }
}

/// An item's JSON with the list it stands in.
fn item_value(item: &quanze_domain::Item, list: Id) -> Value {
    let mut value = to_value(item);
    if let Value::Object(map) = &mut value {
        map.insert("list".to_string(), Value::from(list));
    }
    value
}

fn list_value(list: &quanze_domain::DutyList) -> Value {
    // Without its items: serialising them only to drop them would cost a whole list's work.
    to_value(&quanze_domain::DutyList {
        id: list.id,
        uid: list.uid.clone(),
        jurisdiction: list.jurisdiction,
        unit: list.unit,
        kind: list.kind,
        name: list.name.clone(),
        note: list.note.clone(),
        items: Vec::new(),
    })
}

impl Form {
    /// The entities of `bundle` that `select` accepts, in exchange form. Every entity must
    /// carry a uid (a dump and a package do).
    pub(crate) fn of(bundle: &Bundle, uids: &UidsOf, select: &dyn Fn(&Uid) -> bool) -> Form {
        let mut form = Form::default();
        let mut add = |kind: Kind, id: Id, uid: &Option<Uid>, label: &dyn Fn() -> String, value: &dyn Fn() -> Value, position: u32| {
            let Some(uid) = uid.as_ref().filter(|u| select(u)) else { return };
            form.local_ids.insert(uid.clone(), id);
            form.entities.insert(uid.clone(), entity_form(kind, label(), value(), position, uids));
        };
        for j in &bundle.jurisdictions {
            add(Kind::Jurisdiction, j.id, &j.uid, &|| j.name.clone(), &|| to_value(j), 0);
        }
        for l in &bundle.leaders {
            add(Kind::Leader, l.id, &l.uid, &|| l.name.clone(), &|| to_value(l), 0);
        }
        for u in &bundle.units {
            add(Kind::Unit, u.id, &u.uid, &|| u.name.clone(), &|| to_value(u), 0);
        }
        for list in &bundle.lists {
            add(Kind::List, list.id, &list.uid, &|| list.name.clone(), &|| list_value(list), 0);
            for (position, item) in list.items.iter().enumerate() {
                let position = u32::try_from(position).unwrap_or(u32::MAX);
                add(Kind::Item, item.id, &item.uid, &|| item.label(), &|| item_value(item, list.id), position);
            }
        }
        for r in &bundle.admission_requests {
            add(Kind::AdmissionRequest, r.id, &r.uid, &|| r.item_name.clone(), &|| to_value(r), 0);
        }
        for w in &bundle.waivers {
            add(Kind::Waiver, w.id, &w.uid, &|| w.finding_key.clone(), &|| to_value(w), 0);
        }
        for v in &bundle.versions {
            let list_name = || bundle.lists.iter().find(|l| l.id == v.list).map_or("", |l| l.name.as_str()).to_string();
            add(Kind::Version, v.id, &v.uid, &|| format!("{} 第 {} 版", list_name(), v.number), &|| to_value(v), 0);
        }
        for c in &bundle.change_requests {
            add(Kind::ChangeRequest, c.id, &c.uid, &|| format!("{}：{}", c.action.label(), c.item_label), &|| to_value(c), 0);
        }
        form
    }

    /// The entities named in `wanted` as this database holds them (those it holds), in
    /// exchange form: read one by one, so that a merge reads only what the package changed.
    pub(crate) fn stored(reader: &crate::Reader<'_>, wanted: &[(Kind, &Uid)]) -> Result<Form> {
        let ids = StoredUids::new(reader.db());
        let mut form = Form::default();
        for (kind, uid) in wanted {
            let id: Option<Id> = super::id_by_uid(reader.db(), kind.table(), uid)?;
            let Some(id) = id else { continue };
            let (label, value, position) = match kind {
                Kind::Jurisdiction => {
                    let j = reader.jurisdiction(id)?;
                    (j.name.clone(), to_value(&j), 0)
                }
                Kind::Leader => {
                    let l: quanze_domain::Leader = reader.one(id)?;
                    (l.name.clone(), to_value(&l), 0)
                }
                Kind::Unit => {
                    let u = reader.unit(id)?;
                    (u.name.clone(), to_value(&u), 0)
                }
                Kind::List => {
                    let l = reader.list(id)?;
                    (l.name.clone(), list_value(&l), 0)
                }
                Kind::Item => {
                    let record = reader.item(id)?;
                    (record.item.label(), item_value(&record.item, record.list), record.position)
                }
                Kind::AdmissionRequest => {
                    let r: quanze_domain::AdmissionRequest = reader.one(id)?;
                    (r.item_name.clone(), to_value(&r), 0)
                }
                Kind::Waiver => {
                    let w: quanze_domain::Waiver = reader.one(id)?;
                    (w.finding_key.clone(), to_value(&w), 0)
                }
                Kind::Version => {
                    let v = reader.version(id)?;
                    (format!("第 {} 版", v.number), to_value(&v), 0)
                }
                Kind::ChangeRequest => {
                    let c: quanze_domain::ChangeRequest = reader.one(id)?;
                    (format!("{}：{}", c.action.label(), c.item_label), to_value(&c), 0)
                }
            };
            form.local_ids.insert((*uid).clone(), id);
            form.entities.insert((*uid).clone(), entity_form(*kind, label, value, position, &ids));
        }
        ids.finish()?;
        Ok(form)
    }
}

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    // The domain's structs always serialise.
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// Nested objects into dotted paths; arrays and scalars are leaves; nulls and empty objects
/// are dropped (an absent field and an empty one are the same).
fn flatten(prefix: &str, value: Value, into: &mut Fields) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let path = if prefix.is_empty() { key } else { format!("{prefix}.{key}") };
                flatten(&path, value, into);
            }
        }
        Value::Null => {}
        other => {
            into.insert(prefix.to_string(), other);
        }
    }
}

/// Dotted paths back into nested objects.
pub(crate) fn unflatten(fields: &Fields) -> Value {
    let mut root = Map::new();
    for (path, value) in fields {
        let mut node = &mut root;
        let mut parts = path.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                node.insert(part.to_string(), value.clone());
                break;
            }
            let child = node.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            let Value::Object(next) = child else { break };
            node = next;
        }
    }
    Value::Object(root)
}

fn id_to_uid(value: &mut Value, kind: Kind, uids: &dyn Identities) {
    match value {
        Value::Array(values) => values.iter_mut().for_each(|v| id_to_uid(v, kind, uids)),
        other => {
            let uid = other.as_u64().and_then(|id| Id::try_from(id).ok()).and_then(|id| uids.uid(kind, id));
            // A reference the bundle cannot resolve is kept as the number it was: it then
            // differs from any uid and shows as a change rather than vanishing.
            if let Some(uid) = uid {
                *other = Value::String(uid.to_string());
            }
        }
    }
}

fn references_to_uids(kind: Kind, fields: &mut Fields, uids: &dyn Identities) {
    for (path, target) in kind.references() {
        if let Some(value) = fields.get_mut(*path) {
            id_to_uid(value, *target, uids);
        }
    }
}

/// An item's copy inside a version: its id and references as uids (the copy keeps its item's).
fn item_copy_to_uids(copy: &mut Value, uids: &dyn Identities) {
    let Value::Object(map) = copy else { return };
    map.remove("id");
    for (path, target) in ITEM_REFERENCES.iter().filter(|(p, _)| *p != "list") {
        let mut node: Option<&mut Value> = None;
        for (i, part) in path.split('.').enumerate() {
            node = if i == 0 { map.get_mut(part) } else { node.and_then(|n| n.get_mut(part)) };
        }
        if let Some(value) = node {
            id_to_uid(value, *target, uids);
        }
    }
}

/// `rule:I12,U3` → `rule:I<uid>,U<uid>`: a waiver's key in terms of identities.
fn finding_key_with_uids(key: &str, uids: &dyn Identities) -> String {
    let Some((rule, subjects)) = key.split_once(':') else { return key.to_string() };
    let mut parts: Vec<String> = subjects
        .split(',')
        .map(|part| {
            let mut chars = part.chars();
            let translated = chars.next().and_then(Kind::from_key_letter).and_then(|kind| {
                let id: Id = chars.as_str().parse().ok()?;
                uids.uid(kind, id).map(|uid| format!("{}{uid}", &part[..1]))
            });
            translated.unwrap_or_else(|| part.to_string())
        })
        .collect();
    parts.sort();
    format!("{rule}:{}", parts.join(","))
}

/// A key with uids back in terms of row ids (`resolve` gives a uid's id here); `None` when a
/// subject is not in this database.
pub(crate) fn finding_key_with_ids(key: &str, resolve: &dyn Fn(Kind, &Uid) -> Option<Id>) -> Option<String> {
    let (rule, subjects) = key.split_once(':')?;
    let mut parts = Vec::new();
    for part in subjects.split(',') {
        let mut chars = part.chars();
        let letter = chars.next()?;
        let kind = Kind::from_key_letter(letter)?;
        let rest = chars.as_str();
        let id = match Uid::parse(rest) {
            Ok(uid) => resolve(kind, &uid)?,
            Err(_) => rest.parse().ok()?,
        };
        parts.push(format!("{letter}{id}"));
    }
    parts.sort();
    parts.dedup();
    Some(format!("{rule}:{}", parts.join(",")))
}

/// What a reference could not be resolved to, when an entity is written back.
#[derive(Debug, Default)]
pub(crate) struct Unresolved(pub Vec<String>);

/// The entity's fields as its JSON document in this database: references as row ids (by
/// `resolve`), `id` and `uid` set. A reference `resolve` does not know is left out and noted.
pub(crate) fn to_local_document(
    entity: &FormEntity,
    uid: &Uid,
    id: Id,
    resolve: &dyn Fn(Kind, &Uid) -> Option<Id>,
    unresolved: &mut Unresolved,
) -> Value {
    let mut fields = entity.fields.clone();
    for (path, target) in entity.kind.references() {
        let Some(value) = fields.get_mut(*path) else { continue };
        let keep = uid_to_id(value, *target, resolve, unresolved);
        if !keep {
            fields.remove(*path);
        }
    }
    if entity.kind == Kind::Waiver {
        if let Some(Value::String(key)) = fields.get_mut("finding_key") {
            match finding_key_with_ids(key, resolve) {
                Some(local) => *key = local,
                None => unresolved.0.push(format!("finding_key {key}")),
            }
        }
    }
    let mut value = unflatten(&fields);
    if entity.kind == Kind::Version {
        if let Some(Value::Array(copies)) = value.get_mut("items") {
            for copy in copies.iter_mut() {
                item_copy_to_ids(copy, resolve);
            }
        }
    }
    if let Value::Object(map) = &mut value {
        map.insert("id".to_string(), Value::from(id));
        map.insert("uid".to_string(), Value::String(uid.to_string()));
    }
    value
}

/// Whether to keep the field: false when a single reference cannot be resolved.
fn uid_to_id(value: &mut Value, kind: Kind, resolve: &dyn Fn(Kind, &Uid) -> Option<Id>, unresolved: &mut Unresolved) -> bool {
    match value {
        Value::Array(values) => {
            values.retain_mut(|v| uid_to_id(v, kind, resolve, unresolved));
            true
        }
        Value::String(text) => match Uid::parse(text).ok().and_then(|uid| resolve(kind, &uid)) {
            Some(id) => {
                *value = Value::from(id);
                true
            }
            None => {
                unresolved.0.push(format!("{} {text}", kind.label()));
                false
            }
        },
        _ => true,
    }
}

fn item_copy_to_ids(copy: &mut Value, resolve: &dyn Fn(Kind, &Uid) -> Option<Id>) {
    let uid = copy.get("uid").and_then(Value::as_str).and_then(|u| Uid::parse(u).ok());
    let id = uid.as_ref().and_then(|u| resolve(Kind::Item, u)).unwrap_or(0);
    let Value::Object(map) = copy else { return };
    map.insert("id".to_string(), Value::from(id));
    for (path, target) in ITEM_REFERENCES.iter().filter(|(p, _)| *p != "list") {
        let mut parts = path.split('.');
        let first = parts.next().unwrap_or_default();
        let (holder, key) = match parts.next() {
            Some(second) => (map.get_mut(first).and_then(Value::as_object_mut), second),
            None => (Some(&mut *map), first),
        };
        let Some(holder) = holder else { continue };
        let resolved = holder
            .get(key)
            .and_then(Value::as_str)
            .and_then(|text| Uid::parse(text).ok())
            .map(|uid| resolve(*target, &uid));
        match resolved {
            Some(Some(id)) => {
                holder.insert(key.to_string(), Value::from(id));
            }
            Some(None) => {
                holder.remove(key);
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattening_and_back_gives_the_same_document() {
        let document = serde_json::json!({
            "name": "甲", "staffing": { "admin_posts": 3, "institution_posts": 1 },
            "assistance": { "funding": { "amount_wan": 1.5 } }, "extra": [{ "header": "a", "value": "b" }],
            "note": null, "empty": {}
        });
        let mut fields = Fields::new();
        flatten("", document, &mut fields);
        assert_eq!(fields.get("staffing.admin_posts"), Some(&Value::from(3)));
        assert_eq!(fields.get("assistance.funding.amount_wan"), Some(&Value::from(1.5)));
        assert!(!fields.contains_key("note"));
        let back = unflatten(&fields);
        assert_eq!(back["staffing"]["institution_posts"], 1);
        assert_eq!(back["extra"][0]["header"], "a");
        assert!(back.get("empty").is_none());
    }

    #[test]
    fn a_finding_key_goes_to_uids_and_back() {
        let a = Uid::generate();
        let b = Uid::generate();
        let mut uids = UidsOf::default();
        uids.0.insert((Kind::Item, 12), a.clone());
        uids.0.insert((Kind::Unit, 3), b.clone());
        let with_uids = finding_key_with_uids("overlap:I12,U3", &uids);
        assert!(with_uids.contains(a.as_str()) && with_uids.contains(b.as_str()), "{with_uids}");
        let resolve = |kind: Kind, uid: &Uid| match kind {
            Kind::Item if *uid == a => Some(40),
            Kind::Unit if *uid == b => Some(7),
            _ => None,
        };
        assert_eq!(finding_key_with_ids(&with_uids, &resolve).as_deref(), Some("overlap:I40,U7"));
        let other = Uid::generate();
        assert_eq!(finding_key_with_ids(&format!("overlap:I{other}"), &resolve), None);
    }
}
