/* Datasette's column menu (sort, facet by this, hide this column) opens from a cog drawn after each
   column's name, which answers only a mouse click: a keyboard never reached it. Each cog becomes a
   button named for its column: Enter or Space opens the menu with the focus on its first choice, and
   Escape closes it and goes back to the cog. Datasette's own table.js draws the cogs and the menu;
   this only adds the keys, once the page's deferred scripts have run (table.js comes after this one). */
let menu = null;
let opener = null;

function close() {
  if (!menu || menu.style.display === "none") return;
  menu.style.display = "none";
  if (opener) opener.focus();
}

function enhance() {
  menu = document.querySelector(".dropdown-menu");
  if (!menu) return;
  for (const icon of document.querySelectorAll(".rows-and-columns th .dropdown-menu-icon")) {
    const th = icon.closest("th");
    icon.setAttribute("tabindex", "0");
    icon.setAttribute("role", "button");
    icon.setAttribute("aria-haspopup", "true");
    icon.setAttribute("aria-label", "Column options: " + (th.getAttribute("data-column") || th.textContent.trim()));
    icon.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      opener = icon;
      icon.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
      const first = Array.from(menu.querySelectorAll("a")).find((a) => a.offsetParent !== null);
      if (first) first.focus();
    });
  }
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
}

document.addEventListener("DOMContentLoaded", enhance);
