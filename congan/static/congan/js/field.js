// Field page: share the phone's position for a team (POST with the page's CSRF token).
document.addEventListener("DOMContentLoaded", () => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  document.querySelectorAll("[data-share-position]").forEach((button) => {
    const status = button.parentElement.querySelector("[data-position-status]");
    button.addEventListener("click", () => {
      if (!("geolocation" in navigator)) { status.textContent = "✗"; return; }
      navigator.geolocation.getCurrentPosition((position) => {
        const body = new URLSearchParams({
          latitude: position.coords.latitude.toFixed(6), longitude: position.coords.longitude.toFixed(6),
        });
        fetch(button.dataset.sharePosition, {
          method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": token ? token.value : "" },
        }).then((response) => { status.textContent = response.ok ? "✓" : "✗"; });
      }, () => { status.textContent = "✗"; }, { enableHighAccuracy: true, timeout: 10000 });
    });
  });
});
