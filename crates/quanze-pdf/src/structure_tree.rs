//! Writes a [`DocumentStructure`] into the serialized document as a tagged PDF (ISO 32000-1
//! §14.7–14.8): the structure tree (`/StructTreeRoot` with its elements and parent tree), each
//! page's `/StructParents`, `/MarkInfo << /Marked true >>` and the document language
//! `/Lang (zh-CN)`.
//!
//! printpdf 0.12 writes marked-content operators (`BDC`/`EMC`, done in `pdf_output`) but has no
//! structure tree; it is added here on the lopdf document printpdf hands over.

use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::error::PdfError;
use crate::reading_structure::DocumentStructure;

fn name(value: &str) -> Object {
    Object::Name(value.as_bytes().to_vec())
}

/// The `/K` of an element: its children, then its marked content. Content on the element's
/// own page (`/Pg`) is a bare MCID; content on another page is a marked-content reference.
fn kids(
    structure: &DocumentStructure,
    element: usize,
    ids: &[ObjectId],
    pages: &[ObjectId],
    own_page: Option<usize>,
) -> Object {
    let node = &structure.elements[element];
    let mut kids: Vec<Object> = node
        .children
        .iter()
        .map(|&child| Object::Reference(ids[child]))
        .collect();
    for &(page, mcid) in &node.content {
        if Some(page) == own_page {
            kids.push(Object::Integer(i64::from(mcid)));
        } else if let Some(&page_id) = pages.get(page) {
            let mut reference = Dictionary::new();
            reference.set("Type", name("MCR"));
            reference.set("Pg", Object::Reference(page_id));
            reference.set("MCID", Object::Integer(i64::from(mcid)));
            kids.push(Object::Dictionary(reference));
        }
    }
    if kids.len() == 1 {
        kids.pop().unwrap_or(Object::Null)
    } else {
        Object::Array(kids)
    }
}

/// Adds the structure tree of `structure` to `document`, whose pages are the structure's pages
/// in order.
pub(crate) fn add_structure_tree(
    document: &mut Document,
    structure: &DocumentStructure,
) -> Result<(), PdfError> {
    let pages: Vec<ObjectId> = document.get_pages().values().copied().collect();
    if pages.len() != structure.pages.len() {
        return Err(PdfError::Serialize(format!(
            "结构树有 {} 页，文档有 {} 页",
            structure.pages.len(),
            pages.len()
        )));
    }
    let root_id = document.new_object_id();
    let ids: Vec<ObjectId> = structure
        .elements
        .iter()
        .map(|_| document.new_object_id())
        .collect();
    for (index, element) in structure.elements.iter().enumerate() {
        let mut dictionary = Dictionary::new();
        // /Type /StructElem is optional (ISO 32000-1 Table 323); left out, as there are
        // tens of thousands of elements in a long notice.
        dictionary.set("S", name(element.role.pdf_name()));
        let parent = element.parent.map_or(root_id, |parent| ids[parent]);
        dictionary.set("P", Object::Reference(parent));
        // The page most of an element's content is on; the rest is referenced with its page.
        let own_page = element.content.first().map(|&(page, _)| page);
        if let Some(page) = own_page.and_then(|page| pages.get(page)) {
            dictionary.set("Pg", Object::Reference(*page));
        }
        dictionary.set("K", kids(structure, index, &ids, &pages, own_page));
        document
            .objects
            .insert(ids[index], Object::Dictionary(dictionary));
    }
    // The parent tree: for each page (its /StructParents key), the element of each MCID.
    let mut numbers = Vec::with_capacity(pages.len() * 2);
    for (page_index, (page_id, marks)) in pages.iter().zip(&structure.pages).enumerate() {
        let key = page_index as i64;
        if let Ok(page) = document.get_dictionary_mut(*page_id) {
            page.set("StructParents", Object::Integer(key));
        }
        let parents: Vec<Object> = marks
            .elements_by_mcid
            .iter()
            .map(|&element| Object::Reference(ids[element]))
            .collect();
        numbers.push(Object::Integer(key));
        numbers.push(Object::Array(parents));
    }
    let mut parent_tree = Dictionary::new();
    parent_tree.set("Nums", Object::Array(numbers));
    let parent_tree_id = document.add_object(Object::Dictionary(parent_tree));

    let mut root = Dictionary::new();
    root.set("Type", name("StructTreeRoot"));
    root.set("K", Object::Reference(ids[0]));
    root.set("ParentTree", Object::Reference(parent_tree_id));
    root.set("ParentTreeNextKey", Object::Integer(pages.len() as i64));
    document.objects.insert(root_id, Object::Dictionary(root));

    let catalog = document
        .catalog_mut()
        .map_err(|error| PdfError::Serialize(error.to_string()))?;
    catalog.set("StructTreeRoot", Object::Reference(root_id));
    let mut mark_info = Dictionary::new();
    mark_info.set("Marked", Object::Boolean(true));
    catalog.set("MarkInfo", Object::Dictionary(mark_info));
    catalog.set("Lang", Object::string_literal("zh-CN"));
    let mut viewer = Dictionary::new();
    // Title bars show the notice's title, not the file name (PDF/UA-1 §7.1).
    viewer.set("DisplayDocTitle", Object::Boolean(true));
    catalog.set("ViewerPreferences", Object::Dictionary(viewer));
    Ok(())
}
