/* Search page. Loaded only by /{lang}/search/: the Pagefind bundle (its
   script, WebAssembly and the index of this page's language) is fetched
   when the reader first searches, never by any other page. Results are
   built as DOM nodes; an excerpt keeps only its text and <mark>s. */
(function () {
  "use strict";
  var form = document.querySelector("[data-search]");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  var LIMIT = 20;
  var loading = null;
  var latest = 0;

  function absolute(path) { return new URL(path, document.baseURI).href; }

  function load() {
    if (!loading) {
      loading = import(absolute(form.getAttribute("data-bundle") + "pagefind.js")).then(function (pagefind) {
        /* Result URLs are relative to the site's root, which may be a sub-path. */
        var root = new URL(absolute(form.getAttribute("data-site-root"))).pathname;
        return pagefind.options({ baseUrl: root, excerptLength: 30 }).then(function () { return pagefind; });
      });
    }
    return loading;
  }

  function message(name, query, count) {
    return form.getAttribute("data-" + name).replace("{query}", query).replace("{count}", String(count));
  }

  /* Pagefind's excerpt is HTML text with <mark> around the matched words. */
  function excerptNodes(html) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var out = document.createElement("p");
    out.className = "search-excerpt";
    (function copy(from) {
      var i, node, mark;
      for (i = 0; i < from.childNodes.length; i++) {
        node = from.childNodes[i];
        if (node.nodeType === 3) {
          out.appendChild(document.createTextNode(node.nodeValue));
        } else if (node.nodeType === 1 && node.nodeName === "MARK") {
          mark = document.createElement("mark");
          mark.textContent = node.textContent;
          out.appendChild(mark);
        } else if (node.nodeType === 1) {
          copy(node);
        }
      }
    }(parsed.body));
    return out;
  }

  function show(query, results) {
    var i, item, link, data;
    list.textContent = "";
    for (i = 0; i < results.length; i++) {
      data = results[i];
      item = document.createElement("li");
      link = document.createElement("a");
      link.href = data.url;
      link.textContent = (data.meta && data.meta.title) || data.url;
      var title = document.createElement("h2");
      title.appendChild(link);
      item.appendChild(title);
      item.appendChild(excerptNodes(data.excerpt || ""));
      list.appendChild(item);
    }
  }

  function run(query) {
    var ticket = ++latest;
    query = query.trim();
    if (!query) { status.textContent = ""; list.textContent = ""; return; }
    status.textContent = form.getAttribute("data-searching");
    load().then(function (pagefind) {
      return pagefind.search(query);
    }).then(function (search) {
      var total = search.results.length;
      return Promise.all(search.results.slice(0, LIMIT).map(function (r) { return r.data(); })).then(function (data) {
        if (ticket !== latest) { return; }
        show(query, data);
        status.textContent = total === 0 ? message("none", query, 0) : total === 1 ? message("one", query, 1) : message("many", query, total);
        document.documentElement.setAttribute("data-search-done", query);
      });
    }).catch(function () {
      if (ticket === latest) { status.textContent = form.getAttribute("data-failed"); }
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value.trim());
    window.history.replaceState(null, "", url.href);
    run(input.value);
  });

  var initial = new URL(window.location.href).searchParams.get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
}());
