/* claimtrack report: the findings list, tooltips, filters, and marking the claims of a
   finding. Reads the report's JSON and the page; writes text only with textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var claims = data.claims;
  var findings = data.findings;
  var MAX_CARDS = 6;

  function missing(value) { return value === null || value === undefined || value === ""; }
  function shown(value) { return missing(value) ? "\u2014" : String(value); }
  function slot(root, name) { return root.querySelector("[data-slot=\"" + name + "\"]"); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  /* ---- tooltips: a claim's reading on hover and on focus */
  var tip = document.getElementById("tip");
  var tipOwner = null;

  function interval(c) {
    if (missing(c.low) && missing(c.high)) { return "none stated"; }
    if (!missing(c.low) && c.low === c.high) { return String(c.low); }
    return (missing(c.low) ? "\u2026" : String(c.low)) + " \u2013 " +
      (missing(c.high) ? "\u2026" : String(c.high));
  }

  /* What compare() reads the wording as: "around 250" admits 225 - 275. */
  function admits(c) {
    if (!c.admits) { return "\u2014"; }
    var low = c.admits[0], high = c.admits[1];
    var unit = c.kind === "duration" ? " days" : c.kind === "percent" ? "%" : "";
    var text = low === high ? String(low) : (missing(low) ? "\u2026" : String(low)) +
      " \u2013 " + (missing(high) ? "\u2026" : String(high));
    return text + unit;
  }

  function rows(c) {
    var value = shown(c.value);
    if (!missing(c.denominator)) { value += " of " + c.denominator; }
    var unit = shown(c.unit) + (c.per ? " per " + c.per : "");
    return [["value", value], ["interval", interval(c)], ["admits", admits(c)],
      ["qualifier", shown(c.qualifier)],
      ["unit", unit], ["subject", shown(c.subject)], ["speaker", shown(c.speaker)],
      ["source", shown(c.source)], ["cue", shown(c.cue)], ["date", shown(c.date)],
      ["document", c.location || shown(c.doc) + (missing(c.line) ? "" : ":" + c.line + ":" + c.column)]];
  }

  function fillTip(c) {
    while (tip.firstChild) { tip.removeChild(tip.firstChild); }
    var head = document.createElement("div");
    head.className = "tip-head";
    head.textContent = "\u201c" + c.text + "\u201d \u00b7 " + c.kind;
    tip.appendChild(head);
    var list = document.createElement("dl");
    rows(c).forEach(function (row) {
      var term = document.createElement("dt");
      var detail = document.createElement("dd");
      term.textContent = row[0];
      detail.textContent = row[1];
      list.appendChild(term);
      list.appendChild(detail);
    });
    tip.appendChild(list);
  }

  function showTip(mark) {
    var c = claims[Number(mark.getAttribute("data-claim"))];
    if (!c) { return; }
    if (tipOwner !== mark) { fillTip(c); }
    tipOwner = mark;
    tip.hidden = false;
    var rect = mark.getBoundingClientRect();
    var top = rect.bottom + 6;
    if (top + tip.offsetHeight > window.innerHeight - 4) {
      top = Math.max(4, rect.top - tip.offsetHeight - 6);
    }
    var left = Math.max(4, Math.min(rect.left, window.innerWidth - tip.offsetWidth - 8));
    tip.style.top = top + "px";
    tip.style.left = left + "px";
  }

  function hideTip() {
    if (tipOwner) { tipOwner.removeAttribute("aria-describedby"); }
    tipOwner = null;
    tip.hidden = true;
  }

  function markOf(target) {
    return target && target.closest ? target.closest("mark[data-claim]") : null;
  }

  document.addEventListener("mouseover", function (event) {
    var mark = markOf(event.target);
    if (mark) { showTip(mark); }
  });
  document.addEventListener("mouseout", function (event) {
    var mark = markOf(event.target);
    if (mark && mark === tipOwner && !mark.contains(event.relatedTarget) &&
        document.activeElement !== mark) {
      hideTip();
    }
  });
  document.addEventListener("focusin", function (event) {
    var mark = markOf(event.target);
    if (mark) {
      showTip(mark);
      mark.setAttribute("aria-describedby", "tip");
    } else if (tipOwner) {
      hideTip();
    }
  });
  document.addEventListener("focusout", function (event) {
    if (markOf(event.target) === tipOwner) { hideTip(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hideTip(); }
  });
  /* On scroll the tip follows a focused claim (focusing scrolls it into view) and
     leaves a hovered one. */
  var following = false;
  window.addEventListener("scroll", function () {
    if (!tipOwner) { return; }
    if (tipOwner !== document.activeElement) { hideTip(); return; }
    if (following) { return; }
    following = true;
    window.requestAnimationFrame(function () {
      following = false;
      if (tipOwner) { showTip(tipOwner); }
    });
  }, { passive: true, capture: true });

  /* ---- the findings list, a page at a time, from the skeletons of the page */
  var list = document.getElementById("finding-list");
  var more = document.getElementById("more-findings");
  var status = document.getElementById("filter-status");
  var pageSize = Number(list.getAttribute("data-page-size")) || 200;
  var findingSkeleton = document.getElementById("finding-skeleton").content.firstElementChild;
  var claimSkeleton = document.getElementById("claim-skeleton").content.firstElementChild;
  var matching = [];
  var listed = 0;

  function fill(element, text) {
    if (missing(text)) { element.parentNode.removeChild(element); } else { element.textContent = text; }
  }

  function renderClaim(number) {
    var c = claims[number];
    var card = claimSkeleton.cloneNode(true);
    var link = slot(card, "document");
    var documentName = c.doc.split(/[\\/]/).pop() || c.doc;
    link.setAttribute("href", "#c" + number);
    link.setAttribute("data-claim-link", String(number));
    link.textContent = documentName + (missing(c.line) ? "" : ":" + c.line + ":" + c.column);
    if (c.location) { link.setAttribute("title", c.location); }
    fill(slot(card, "date"), c.date);
    var sentence = missing(c.sentence) ? c.text : c.sentence;
    var at = missing(c.sentence_offset) ? sentence.indexOf(c.text) : c.sentence_offset;
    slot(card, "before").textContent = at < 0 ? sentence + " \u2026 " : sentence.slice(0, at);
    slot(card, "text").textContent = c.text;
    slot(card, "after").textContent = at < 0 ? "" : sentence.slice(at + c.text.length);
    var speaker = slot(card, "speaker");
    var source = slot(card, "source");
    if (missing(c.speaker) && missing(c.source)) {
      speaker.parentNode.parentNode.removeChild(speaker.parentNode);
    } else {
      fill(speaker, c.speaker);
      fill(source, missing(c.speaker) || missing(c.source) ? c.source : " \u00b7 " + c.source);
    }
    return card;
  }

  var rendered = {};  /* finding number -> its element, built once */

  function findingItem(number) {
    if (!rendered[number]) { rendered[number] = renderFinding(number); }
    return rendered[number];
  }

  function renderFinding(number) {
    var f = findings[number];
    var item = findingSkeleton.cloneNode(true);
    item.id = "f" + number;
    item.setAttribute("data-finding", String(number));
    item.setAttribute("data-finding-kind", f.kind);
    item.setAttribute("data-severity", f.severity);
    var kind = slot(item, "kind");
    kind.textContent = f.kind;
    kind.classList.add("kind-" + f.kind);
    var severity = slot(item, "severity");
    severity.textContent = f.severity;
    severity.classList.add("sev-" + f.severity);
    slot(item, "key").textContent = f.key;
    fill(slot(item, "score"), missing(f.score) ? null : "score " + Number(f.score).toFixed(2));
    slot(item, "explanation").textContent = f.explanation;
    var evidence = slot(item, "evidence");
    if (f.evidence && f.evidence.length) {
      f.evidence.forEach(function (line) {
        var entry = document.createElement("li");
        entry.textContent = line;
        evidence.appendChild(entry);
      });
    } else {
      evidence.parentNode.removeChild(evidence);
    }
    var cards = slot(item, "claims");
    f.claims.slice(0, MAX_CARDS).forEach(function (n) { cards.appendChild(renderClaim(n)); });
    var rest = f.claims.length - MAX_CARDS;
    fill(slot(item, "more-claims"), rest > 0
      ? "and " + rest + " more claim" + (rest === 1 ? "" : "s") + ", marked with these when shown"
      : null);
    return item;
  }

  function listMore() {
    var end = Math.min(matching.length, listed + pageSize);
    var batch = document.createDocumentFragment();
    for (; listed < end; listed += 1) { batch.appendChild(findingItem(matching[listed])); }
    list.appendChild(batch);
    more.hidden = listed >= matching.length;
    more.textContent = "Show more findings (" + (matching.length - listed) + " left)";
    status.textContent = matching.length + " of " + findings.length + " findings shown" +
      (listed < matching.length ? " (listed: the first " + listed + ")" : "");
  }

  more.addEventListener("click", listMore);

  /* ---- marking claims: each one scrolled into view in its document, the first last so
     that the page ends on it */
  var announce = document.createElement("p");
  announce.className = "status";
  announce.setAttribute("role", "status");
  status.parentNode.insertBefore(announce, status.nextSibling);

  function showClaims(indices, finding) {
    each(document.querySelectorAll("mark.marked"), function (m) { m.classList.remove("marked"); });
    var current = document.querySelector(".finding.current");
    if (current) { current.classList.remove("current"); }
    if (finding) { finding.classList.add("current"); }
    var marks = [];
    indices.forEach(function (i) {
      var mark = document.getElementById("c" + i);
      if (mark) { marks.push(mark); }
    });
    marks.forEach(function (m) { m.classList.add("marked"); });
    /* the claims shown side by side are scrolled to; the rest (a figure repeated in
       forty documents) are marked only: each scroll lays out a whole document */
    for (var k = Math.min(marks.length, MAX_CARDS) - 1; k >= 0; k -= 1) {
      marks[k].scrollIntoView({ block: "center", inline: "nearest" });
    }
    hideTip();
    announce.textContent = marks.length === indices.length
      ? "Marked " + marks.length + " claim" + (marks.length === 1 ? "" : "s") + " in the documents"
      : "Marked " + marks.length + " of " + indices.length +
        " claims (the others are in documents not in this report)";
    return marks.length;
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) { return; }
    var link = target.closest("a[data-claim-link]");
    if (link) {
      event.preventDefault();
      var number = Number(link.getAttribute("data-claim-link"));
      if (showClaims([number], link.closest(".finding"))) {
        /* as following a link would: the claim takes the focus (and shows its reading) */
        document.getElementById("c" + number).focus({ preventScroll: true });
      }
      return;
    }
    var item = target.closest(".finding");
    if (!item) { return; }
    var selection = window.getSelection();
    if (!target.closest("button") && selection && !selection.isCollapsed) { return; }
    var finding = findings[Number(item.getAttribute("data-finding"))];
    if (finding) { showClaims(finding.claims, item); }
  });

  /* ---- filters: by kind of finding, by severity, and a search over subjects */
  var form = document.getElementById("filters");
  var search = document.getElementById("subject-search");
  var charts = Array.prototype.slice.call(document.querySelectorAll(".chart"));

  function choices(name) {
    var chosen = {};
    each(form.querySelectorAll("input[name=\"" + name + "\"]"), function (box) {
      chosen[box.value] = box.checked;
    });
    return chosen;
  }

  function applyFilters() {
    var kinds = choices("kind");
    var severities = choices("severity");
    var query = search.value.trim().toLowerCase();
    matching = [];
    findings.forEach(function (f, n) {
      if (kinds[f.kind] !== false && severities[f.severity] !== false &&
          (!query || f.subjects.indexOf(query) >= 0)) {
        matching.push(n);
      }
    });
    while (list.firstChild) { list.removeChild(list.firstChild); }
    listed = 0;
    listMore();
    status.setAttribute("data-query", query);
    charts.forEach(function (chart) {
      chart.hidden = Boolean(query) && chart.getAttribute("data-subject").indexOf(query) < 0;
    });
  }

  /* report.html#c12 opens the page with claim 12 marked */
  function showLinkedClaim() {
    var linked = /^#c(\d+)$/.exec(window.location.hash);
    if (linked) { showClaims([Number(linked[1])], null); }
  }
  window.addEventListener("hashchange", showLinkedClaim);

  /* the search waits for a pause in typing; the boxes apply at once */
  var typing = null;
  form.addEventListener("input", function (event) {
    if (event.target !== search) { applyFilters(); return; }
    window.clearTimeout(typing);
    typing = window.setTimeout(applyFilters, 150);
  });
  form.addEventListener("change", function (event) {
    if (event.target !== search) { applyFilters(); }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  applyFilters();
  showLinkedClaim();

  window.claimtrackReport = {
    data: data, showClaims: showClaims, applyFilters: applyFilters, renderFinding: renderFinding
  };
  window.claimtrackReadyAt = window.performance ? window.performance.now() : 0;
  window.claimtrackReady = true;
  document.documentElement.setAttribute("data-ready", "");
}());
