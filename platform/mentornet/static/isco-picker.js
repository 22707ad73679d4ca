// Occupation picker: suggests ISCO-08 occupations as she types. Without JavaScript the
// field still takes a four-digit code.
(function () {
  "use strict";
  document.querySelectorAll("input[data-isco-picker]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-isco-picker");
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < 2 || /^\d{4}$/.test(query)) { return; }
      timer = setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(query) + "&lang=" + document.documentElement.lang)
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (items) {
            list.replaceChildren();
            items.filter(function (item) { return item.level === 4; }).forEach(function (item) {
              var option = document.createElement("option");
              option.value = item.code;
              option.label = item.label;
              option.textContent = item.code + " " + item.label;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  });
})();
