// Hash routes (#/overview, #/charts?x=y...): one <section id="page-NAME"> shown at a time, its nav link marked
// aria-current, and the page's show(query) and hide() called. The focus moves to the page's heading when the
// operator changes page, so a screen reader starts reading there.

const DEFAULT_PAGE = 'overview';

function parse(hash) {
  const text = hash.replace(/^#\/?/, '');
  const question = text.indexOf('?');
  const name = (question < 0 ? text : text.slice(0, question)) || DEFAULT_PAGE;
  return { name, query: new URLSearchParams(question < 0 ? '' : text.slice(question + 1)) };
}

export function createRouter(pages) {
  let current = null;

  function route(moveFocus) {
    let { name, query } = parse(location.hash);
    if (!pages[name]) name = DEFAULT_PAGE;
    if (current && current !== name) pages[current].hide();
    for (const key of Object.keys(pages)) {
      document.getElementById('page-' + key).hidden = key !== name;
      const link = document.getElementById('nav-' + key);
      if (key === name) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const changed = current !== name;
    current = name;
    pages[name].show(query);
    document.title = document.getElementById(name + '-title').textContent + ' — jlvs console';
    if (moveFocus && changed) document.getElementById(name + '-title').focus();
  }

  window.addEventListener('hashchange', () => route(true));
  return {
    start() {
      route(false);
    },
    /** Goes to page name with the query (a URLSearchParams). */
    navigate(name, query) {
      const text = query && query.toString();
      const hash = '#/' + name + (text ? '?' + text : '');
      if (location.hash === hash) route(false); // no hashchange for the same hash: show it again
      else location.hash = hash;
    },
  };
}
