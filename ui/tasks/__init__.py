"""«Задачи»: the task list, the reminder scheduler, the tray icon and the in-window reminder panel."""
