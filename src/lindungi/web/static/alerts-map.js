/* The alerts map (an enhancement: the page lists every alert and zone without it).
 * Draws the zones and the alerts not yet resolved from data-source (GeoJSON) with the
 * hub's own Leaflet. Tiles come only from data-tiles when it is set; without it, or as
 * soon as a tile fails to load, the map stays on a plain background with a graticule,
 * making no request to any other site. Popups are built as DOM nodes, never as HTML. */
(function () {
  "use strict";

  var box = document.getElementById("alerts-map");
  var status = document.getElementById("map-status");
  if (!box || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;

  function say(text) {
    if (status) {
      status.textContent = text || "";
    }
  }

  var fallback = box.querySelector(".map-fallback");
  if (fallback) {
    fallback.remove();
  }
  var map = L.map(box, { worldCopyJump: true, attributionControl: false });
  map.setView([5, 110], 4);
  box.setAttribute("data-ready", "true");

  function plain() {
    box.classList.add("plain");
    var grid = L.layerGroup();
    for (var lat = -80; lat <= 80; lat += 10) {
      grid.addLayer(L.polyline([[lat, -180], [lat, 180]], { className: "graticule", interactive: false }));
    }
    for (var lon = -180; lon <= 180; lon += 10) {
      grid.addLayer(L.polyline([[-85, lon], [85, lon]], { className: "graticule", interactive: false }));
    }
    grid.addTo(map);
  }

  var tiles = box.getAttribute("data-tiles");
  if (tiles) {
    var layer = L.tileLayer(tiles, { maxZoom: 18 });
    layer.once("tileerror", function () {
      map.removeLayer(layer);
      plain();
    });
    layer.addTo(map);
  } else {
    plain();
  }

  function text(tag, content, className) {
    var node = document.createElement(tag);
    node.textContent = content;
    if (className) {
      node.className = className;
    }
    return node;
  }

  function popup(props) {
    var node = document.createElement("div");
    if (props.layer === "alert") {
      var link = text("a", "#" + props.id + " · " + props.label);
      link.href = props.href;
      var title = document.createElement("strong");
      title.appendChild(link);
      node.appendChild(title);
      node.appendChild(text("div", props.status_label + " · " + props.country +
        (props.zone_id ? " · " + props.zone_id : "")));
    } else {
      node.appendChild(text("strong", props.name || props.zone_id));
      node.appendChild(text("div", props.label));
    }
    return node;
  }

  fetch(box.getAttribute("data-source"), {
    credentials: "same-origin",
    headers: { Accept: "application/geo+json, application/json" },
  })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    })
    .then(function (data) {
      var alerts = 0;
      var drawn = L.geoJSON(data, {
        // GeoJSON layers restyle every feature, points too: one style says both.
        style: function (feature) {
          var props = feature.properties;
          if (props.layer === "alert") {
            return { className: "alert-point kind-" + props.kind + " status-" + props.status };
          }
          return { className: "zone zone-" + props.kind };
        },
        pointToLayer: function (feature, latlng) {
          alerts += 1;
          return L.circleMarker(latlng, { radius: 8 });
        },
        onEachFeature: function (feature, drawnLayer) {
          drawnLayer.bindPopup(popup(feature.properties));
        },
      }).addTo(map);
      var bounds = drawn.getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 10 });
      }
      box.setAttribute("data-alerts", String(alerts));
      say(alerts ? "" : box.getAttribute("data-empty"));
    })
    .catch(function () {
      box.setAttribute("data-alerts", "error");
      say(box.getAttribute("data-failed"));
    });
})();
