/* claimtrack report: tooltips, filters, and marking the claims of a finding.
   Reads the report's JSON and the page; writes text only with textContent. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var claims = data.claims;
  var tip = document.getElementById("tip");
  var tipOwner = null;

  function shown(value) {
    return value === null || value === undefined || value === "" ? "\u2014" : String(value);
  }

  function interval(c) {
    if (c.low === null && c.high === null) { return "none stated"; }
    if (c.low !== null && c.high !== null && c.low === c.high) { return String(c.low); }
    return (c.low === null ? "\u2026" : String(c.low)) + " \u2013 " +
      (c.high === null ? "\u2026" : String(c.high));
  }

  function rows(c) {
    var value = shown(c.value);
    if (c.denominator !== undefined && c.denominator !== null) { value += " of " + c.denominator; }
    var unit = shown(c.unit) + (c.per ? " per " + c.per : "");
    return [["value", value], ["interval", interval(c)], ["qualifier", shown(c.qualifier)],
      ["unit", unit], ["subject", shown(c.subject)], ["speaker", shown(c.speaker)],
      ["source", shown(c.source)], ["cue", shown(c.cue)], ["date", shown(c.date)],
      ["document", shown(c.doc)]];
  }

  function fillTip(c) {
    while (tip.firstChild) { tip.removeChild(tip.firstChild); }
    var head = document.createElement("div");
    head.className = "tip-head";
    head.textContent = "\u201c" + c.text + "\u201d \u00b7 " + c.kind;
    tip.appendChild(head);
    var list = document.createElement("dl");
    rows(c).forEach(function (row) {
      var dt = document.createElement("dt");
      var dd = document.createElement("dd");
      dt.textContent = row[0];
      dd.textContent = row[1];
      list.appendChild(dt);
      list.appendChild(dd);
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
    if (top + tip.offsetHeight > window.innerHeight - 4) { top = Math.max(4, rect.top - tip.offsetHeight - 6); }
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
    if (mark && mark === tipOwner && !mark.contains(event.relatedTarget) && document.activeElement !== mark) {
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
  window.addEventListener("scroll", function () { if (tipOwner) { hideTip(); } }, { passive: true, capture: true });

  /* Marking claims: each one scrolled into view in its document, the first last so
     that the page ends on it. */
  var status = document.getElementById("filter-status");
  var announce = document.createElement("p");
  announce.className = "status";
  announce.setAttribute("role", "status");
  status.parentNode.insertBefore(announce, status.nextSibling);

  function showClaims(indices, finding) {
    Array.prototype.forEach.call(document.querySelectorAll("mark.marked"), function (m) {
      m.classList.remove("marked");
    });
    var current = document.querySelector(".finding.current");
    if (current) { current.classList.remove("current"); }
    if (finding) { finding.classList.add("current"); }
    var marks = [];
    indices.forEach(function (i) {
      var mark = document.getElementById("c" + i);
      if (mark) { marks.push(mark); }
    });
    marks.forEach(function (m) { m.classList.add("marked"); });
    for (var k = marks.length - 1; k >= 0; k -= 1) {
      marks[k].scrollIntoView({ block: "center", inline: "nearest" });
    }
    hideTip();
    announce.textContent = marks.length === indices.length
      ? "Marked " + marks.length + " claim" + (marks.length === 1 ? "" : "s") + " in the documents"
      : "Marked " + marks.length + " of " + indices.length + " claims (the others are in documents not in this report)";
    return marks.length;
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) { return; }
    var link = target.closest("a[data-claim-link]");
    if (link) {
      event.preventDefault();
      showClaims([Number(link.getAttribute("data-claim-link"))], link.closest(".finding"));
      return;
    }
    var item = target.closest(".finding");
    if (!item) { return; }
    var selection = window.getSelection();
    if (!target.closest("button") && selection && !selection.isCollapsed) { return; }
    var finding = data.findings[Number(item.getAttribute("data-finding"))];
    if (finding) { showClaims(finding.claims, item); }
  });

  /* Filters: by kind of finding, by severity, and a search over subjects. */
  var form = document.getElementById("filters");
  var search = document.getElementById("subject-search");
  var items = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var charts = Array.prototype.slice.call(document.querySelectorAll(".chart"));

  function choices(name) {
    var chosen = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name=\"" + name + "\"]"), function (box) {
      chosen[box.value] = box.checked;
    });
    return chosen;
  }

  function applyFilters() {
    var kinds = choices("kind");
    var severities = choices("severity");
    var query = search.value.trim().toLowerCase();
    var count = 0;
    items.forEach(function (item) {
      var keep = kinds[item.getAttribute("data-finding-kind")] !== false &&
        severities[item.getAttribute("data-severity")] !== false &&
        (!query || item.getAttribute("data-subjects").indexOf(query) >= 0);
      item.hidden = !keep;
      if (keep) { count += 1; }
    });
    charts.forEach(function (chart) {
      chart.hidden = Boolean(query) && chart.getAttribute("data-subject").indexOf(query) < 0;
    });
    status.textContent = count + " of " + items.length + " findings shown";
  }

  form.addEventListener("input", applyFilters);
  form.addEventListener("change", applyFilters);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  applyFilters();

  window.claimtrackReport = { data: data, showClaims: showClaims, applyFilters: applyFilters };
  window.claimtrackReadyAt = window.performance ? window.performance.now() : 0;
  window.claimtrackReady = true;
  document.documentElement.setAttribute("data-ready", "");
}());
