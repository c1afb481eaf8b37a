/**
 * The HTML report's script: inline, allowed by its hash in the page's CSP. Plain ES2020 in a string, because
 * it runs in the reader's browser, not in Node. It reads the objects of findings from the JSON block and puts
 * directory values in the page with textContent only (never innerHTML), so a value can never become markup.
 * It does: the OU tree's filter and expand/collapse, lazily rendered object tables (a page of rows at a
 * time, sortable, searchable), sortable static tables, copy buttons, and opening everything for print.
 */
export const REPORT_SCRIPT = `
(function () {
  'use strict';
  var PAGE = 200;
  var PRINT_ROWS = 50;
  var dataNode = document.getElementById('report-data');
  var data = JSON.parse(dataNode ? dataNode.textContent : '{"objects":[]}');
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function fmt(n) { return n.toLocaleString('en-US'); }
  function debounce(fn, ms) {
    var timer;
    return function () { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  // --- OU trees (one per forest): filter by name or DN and by verdict; a node shows when it or a descendant matches.
  // Each tree's controls share its id prefix ("ou-tree", or "forest2-ou-tree" on a page of several forests).
  document.querySelectorAll('ul.tree').forEach(function (tree) {
    var prefix = tree.id.slice(0, tree.id.length - 'ou-tree'.length);
    var control = function (name) { return document.getElementById(prefix + name); };
    var filter = control('tree-filter');
    var verdictFilter = control('tree-verdict');
    var empty = control('tree-empty');
    var childrenOf = function (li) {
      var details = li.firstElementChild;
      var list = details && details.tagName === 'DETAILS' ? details.querySelector(':scope > ul') : null;
      return list ? Array.prototype.slice.call(list.children) : [];
    };
    var applyFilter = function () {
      var query = filter.value.trim().toLowerCase();
      var verdict = verdictFilter.value;
      var filtering = query !== '' || verdict !== '';
      var visit = function (li) {
        var below = false;
        childrenOf(li).forEach(function (child) { if (visit(child)) below = true; });
        var self = (query === '' || li.getAttribute('data-search').indexOf(query) >= 0) && (verdict === '' || li.getAttribute('data-verdict') === verdict);
        li.hidden = !(self || below);
        li.classList.toggle('match', filtering && self);
        if (filtering && below) li.firstElementChild.open = true;
        return self || below;
      };
      var any = false;
      Array.prototype.forEach.call(tree.children, function (li) { if (visit(li)) any = true; });
      empty.hidden = any;
    };
    filter.addEventListener('input', debounce(applyFilter, 120));
    verdictFilter.addEventListener('change', applyFilter);
    var setAll = function (open) {
      tree.querySelectorAll('details').forEach(function (d) { d.open = open; });
    };
    control('tree-expand').addEventListener('click', function () { setAll(true); });
    control('tree-collapse').addEventListener('click', function () {
      setAll(false);
      var root = tree.querySelector('details');
      if (root) root.open = true;
    });
  });

  // --- Sorting, shared by static tables and object tables.
  function compareCells(a, b) {
    var x = Number(a), y = Number(b);
    if (a !== '' && b !== '' && !isNaN(x) && !isNaN(y)) return x - y;
    return collator.compare(a, b);
  }
  function markSorted(headRow, index, direction) {
    Array.prototype.forEach.call(headRow.children, function (th, i) {
      if (i === index) th.setAttribute('aria-sort', direction > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
  }

  document.querySelectorAll('table.sortable').forEach(function (table) {
    var headRow = table.tHead.rows[0];
    var direction = 1, sortedBy = -1;
    headRow.querySelectorAll('button.sort').forEach(function (button) {
      button.addEventListener('click', function () {
        var index = Array.prototype.indexOf.call(headRow.children, button.parentElement);
        direction = sortedBy === index ? -direction : 1;
        sortedBy = index;
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) { var cell = row.cells[index]; return cell.getAttribute('data-sort') || cell.textContent; };
        rows.sort(function (a, b) { return direction * compareCells(key(a), key(b)); });
        rows.forEach(function (row) { body.appendChild(row); });
        markSorted(headRow, index, direction);
      });
    });
  });

  // --- Object tables: built when their finding is first opened, PAGE rows at a time.
  function objectTable(host, set) {
    var rows = set.rows;
    var haystack = null;
    var order = rows.map(function (_, i) { return i; });
    var visible = order;
    var shown = 0, direction = 1, sortedBy = -1;

    var toolbar = el('div', 'toolbar');
    var search = el('input');
    search.type = 'search';
    search.placeholder = 'Search ' + fmt(rows.length) + ' objects';
    search.setAttribute('aria-label', 'Search objects');
    var status = el('span', 'shown');
    toolbar.appendChild(search);
    toolbar.appendChild(status);

    var scroll = el('div', 'table-scroll');
    var table = el('table', 'objects-table');
    var headRow = table.createTHead().insertRow();
    var body = table.createTBody();
    scroll.appendChild(table);
    var more = el('button', 'more', '');
    more.type = 'button';

    set.columns.forEach(function (label, index) {
      var th = el('th');
      var button = el('button', 'sort', label);
      button.type = 'button';
      button.addEventListener('click', function () {
        direction = sortedBy === index ? -direction : 1;
        sortedBy = index;
        order = order.slice().sort(function (a, b) { return direction * compareCells(rows[a][index] || '', rows[b][index] || ''); });
        markSorted(headRow, index, direction);
        applySearch();
      });
      th.appendChild(button);
      headRow.appendChild(th);
    });

    function renderMore(count) {
      var fragment = document.createDocumentFragment();
      var end = Math.min(visible.length, shown + count);
      for (var i = shown; i < end; i++) {
        var tr = document.createElement('tr');
        var row = rows[visible[i]];
        for (var c = 0; c < set.columns.length; c++) {
          var td = document.createElement('td');
          if (c === 0) td.className = 'dn';
          td.textContent = row[c] || '';
          tr.appendChild(td);
        }
        fragment.appendChild(tr);
      }
      body.appendChild(fragment);
      shown = end;
      status.textContent = 'Showing ' + fmt(shown) + ' of ' + fmt(visible.length) + (visible.length === rows.length ? '' : ' matching (' + fmt(rows.length) + ' in all)');
      var left = visible.length - shown;
      more.hidden = left === 0;
      more.textContent = 'Show ' + fmt(Math.min(PAGE, left)) + ' more (' + fmt(left) + ' not shown)';
    }
    function applySearch() {
      var query = search.value.trim().toLowerCase();
      if (query === '') visible = order;
      else {
        if (haystack === null) haystack = rows.map(function (row) { return row.join('\\u0001').toLowerCase(); });
        visible = order.filter(function (i) { return haystack[i].indexOf(query) >= 0; });
      }
      body.textContent = '';
      shown = 0;
      renderMore(PAGE);
    }
    search.addEventListener('input', debounce(applySearch, 150));
    more.addEventListener('click', function () { renderMore(PAGE); });

    host.appendChild(toolbar);
    host.appendChild(scroll);
    host.appendChild(more);
    renderMore(PAGE);
  }

  function ensureObjects(details) {
    var host = details.querySelector('div[data-objects]');
    if (!host || host.getAttribute('data-built') === 'yes') return;
    var set = data.objects[Number(host.getAttribute('data-objects'))];
    if (!set) return;
    host.setAttribute('data-built', 'yes');
    objectTable(host, set);
  }
  document.querySelectorAll('details.finding').forEach(function (details) {
    details.addEventListener('toggle', function () { if (details.open) ensureObjects(details); });
  });
  // A link to a finding opens it.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.tagName === 'DETAILS') target.open = true;
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();

  // --- Copy buttons (the Cloud Sync scope to paste).
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      var source = document.getElementById(button.getAttribute('data-copy'));
      var done = button.nextElementSibling;
      var text = source.textContent;
      var confirm = function () { done.hidden = false; setTimeout(function () { done.hidden = true; }, 2000); };
      var fallback = function () {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        if (document.execCommand('copy')) confirm();
      };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(confirm, fallback);
      else fallback();
    });
  });

  // --- Print: every section open; object tables print their first rows (the JSON report has them all).
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
    document.querySelectorAll('details.finding').forEach(function (d) { ensureObjects(d); });
    document.querySelectorAll('div[data-objects]').forEach(function (host) {
      var tbody = host.querySelector('tbody');
      var total = data.objects[Number(host.getAttribute('data-objects'))].rows.length;
      Array.prototype.slice.call(tbody.rows, PRINT_ROWS).forEach(function (row) { row.hidden = true; });
      if (total > PRINT_ROWS) host.appendChild(el('p', 'note print-note', 'The first ' + PRINT_ROWS + ' of ' + fmt(total) + ' objects are printed; the HTML page and the JSON report list them all.'));
    });
  });
  window.addEventListener('afterprint', function () {
    document.querySelectorAll('.objects tbody tr[hidden]').forEach(function (row) { row.hidden = false; });
    document.querySelectorAll('.print-note').forEach(function (note) { note.remove(); });
  });
})();
`;
