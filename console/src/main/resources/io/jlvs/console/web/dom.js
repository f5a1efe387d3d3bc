// Building elements without innerHTML: every text from the daemon goes in as a text node.

/**
 * el('button', { class: 'x', type: 'button', 'data-id': 1, onclick: fn }, 'text', child...): attributes by name
 * (false and null leave one out, true sets it empty), on* functions as listeners, children as nodes or text.
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

/** Sets the text of a node only when it changed, so that live updates do not disturb a selection or a reader. */
export function setText(node, text) {
  const value = String(text);
  if (node.textContent !== value) node.textContent = value;
}

export function byId(id) {
  return document.getElementById(id);
}
