// The per-child stacked bar chart of the unit dashboard (Chart.js, served locally).
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("dashboard-chart");
  const source = document.getElementById("dashboard-data");
  if (!canvas || !source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const colours = {
    done_on_time: "#198754",
    done_late: "#fd7e14",
    open_in_time: "#0d6efd",
    open_overdue: "#dc3545",
    ongoing: "#6c757d",
  };
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map((s) => ({ label: s.label, data: s.data, backgroundColor: colours[s.code] })),
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      // Every bar says whose it is: no label is skipped (the box grows with the units: panel.py).
      scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true, ticks: { autoSkip: false } } },
      plugins: { legend: { position: "bottom" } },
    },
  });
});
