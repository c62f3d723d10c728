"""Pure rules of the tasks service: assignments, status, working days, reporting periods, reminders.

No I/O and no framework imports; the current day is always passed in (`clock.Clock`), and every
date is a calendar day in Asia/Ho_Chi_Minh.

Glossary (Vietnamese domain words are kept where English would blur them):
- kế hoạch: plan; nhiệm vụ: task; đơn vị: unit (a Sở, a ward committee, an office).
- chu_tri (chủ trì): the lead unit, answerable for the task; phoi_hop (phối hợp): a coordinating unit.
- giao nhiệm vụ / assignment: one task given to one unit in one role.
- chờ chỉ định (awaiting designation): the plan names nobody in particular ("các cơ quan, đơn vị
  có liên quan"), so a person must choose the unit; the system asks, never guesses.
- thời hạn: deadline; hạn hoàn thành: due date; thường xuyên: ongoing (no due date).
- chưa đến hạn: its time has not come (before the start); đang thực hiện trong hạn: in progress,
  not yet due; hoàn thành đúng hạn: done on time; hoàn thành quá hạn: done late;
  quá hạn chưa hoàn thành: overdue, not done.
- kỳ báo cáo: reporting period; ngày chốt số liệu: data cut-off (the 14th, Decree 09/2019/NĐ-CP);
  báo cáo tháng / quý / 6 tháng / 9 tháng / năm: monthly / quarterly / six-month / nine-month / annual.
- cấp xã (xã, phường, đặc khu): commune level; Sở: city department; UBND thành phố: the city.
- tổng hợp: compile (the level above merges lower reports, hence earlier lower-level deadlines).
- đôn đốc: urge / follow up (the reminders); ngày làm việc: working day; ngày làm bù: make-up
  working day (a Saturday worked in exchange for a weekday off); nghỉ bù: compensatory day off.
"""
