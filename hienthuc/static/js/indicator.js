// Target against actual over the years for one indicator and unit (Chart.js, served locally).
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("indicator-chart");
  const source = document.getElementById("indicator-data");
  if (!canvas || !source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const colours = ["#6c757d", "#0d6efd"];
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: colours[i % 2] })),
    },
    options: { maintainAspectRatio: false, plugins: { legend: { position: "bottom" } } },
  });
});
