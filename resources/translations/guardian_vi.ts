<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>AppCatalog</name>
    <message>
        <source>Accessibility tools (on-screen keyboard, magnifier, narrator)</source>
        <translation>Công cụ trợ năng (bàn phím ảo, kính lúp, trình đọc màn hình)</translation>
    </message>
    <message>
        <source>Calculator</source>
        <translation>Máy tính bỏ túi</translation>
    </message>
    <message>
        <source>File Explorer</source>
        <translation>Trình quản lý tệp</translation>
    </message>
    <message>
        <source>Poki (web games)</source>
        <translation>Poki (game trên web)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Cài đặt hệ thống</translation>
    </message>
    <message>
        <source>Snipping Tool</source>
        <translation>Công cụ chụp màn hình</translation>
    </message>
    <message>
        <source>Task Manager</source>
        <translation>Trình quản lý tác vụ</translation>
    </message>
    <message>
        <source>Typing practice (RapidTyping, TypingClub, Typing.com, Monkeytype)</source>
        <translation>Luyện gõ phím (RapidTyping, TypingClub, Typing.com, Monkeytype)</translation>
    </message>
    <message>
        <source>Xbox app</source>
        <translation>Ứng dụng Xbox</translation>
    </message>
</context>
<context>
    <name>AppLimitDialog</name>
    <message>
        <source>App limit</source>
        <translation>Giới hạn ứng dụng</translation>
    </message>
    <message>
        <source>Apps</source>
        <translation>Ứng dụng</translation>
    </message>
    <message>
        <source>Apps this limit counts together</source>
        <translation>Các ứng dụng được tính chung trong giới hạn này</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Daily time</source>
        <translation>Thời gian mỗi ngày</translation>
    </message>
    <message>
        <source>Daily time for these apps</source>
        <translation>Thời gian mỗi ngày cho các ứng dụng này</translation>
    </message>
    <message>
        <source>New app limit</source>
        <translation>Giới hạn ứng dụng mới</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>The apps in one limit share one daily time.</source>
        <translation>Các ứng dụng trong cùng một giới hạn dùng chung một khoảng thời gian mỗi ngày.</translation>
    </message>
</context>
<context>
    <name>AppPickerDialog</name>
    <message>
        <source>Add a &amp;running program…</source>
        <translation>Thêm chương trình đang &amp;chạy…</translation>
    </message>
    <message>
        <source>Add a &amp;website…</source>
        <translation>Thêm trang &amp;web…</translation>
    </message>
    <message>
        <source>Add a program &amp;file…</source>
        <translation>Thêm &amp;tệp chương trình…</translation>
    </message>
    <message>
        <source>Add selected</source>
        <translation>Thêm mục đã chọn</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>Tất cả các nhóm</translation>
    </message>
    <message>
        <source>Apps in the catalog</source>
        <translation>Ứng dụng trong danh mục</translation>
    </message>
    <message>
        <source>Apps used on this computer recently</source>
        <translation>Ứng dụng được dùng gần đây trên máy này</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Nhóm</translation>
    </message>
    <message>
        <source>Choose a program</source>
        <translation>Chọn chương trình</translation>
    </message>
    <message>
        <source>Choose an app in the list first.</source>
        <translation>Hãy chọn một ứng dụng trong danh sách trước.</translation>
    </message>
    <message>
        <source>Choose apps</source>
        <translation>Chọn ứng dụng</translation>
    </message>
    <message>
        <source>Could not add it: {error}</source>
        <translation>Không thêm được: {error}</translation>
    </message>
    <message>
        <source>Could not list the running programs: {error}</source>
        <translation>Không lấy được danh sách chương trình đang chạy: {error}</translation>
    </message>
    <message>
        <source>Every app in: {category}</source>
        <translation>Mọi ứng dụng trong nhóm: {category}</translation>
    </message>
    <message>
        <source>Listing the running programs…</source>
        <translation>Đang tìm các chương trình đang chạy…</translation>
    </message>
    <message>
        <source>No app matches “{text}”. Try another name, or add the program or website below.</source>
        <translation>Không có ứng dụng nào khớp với “{text}”. Hãy thử tên khác, hoặc thêm chương trình hay trang web ở bên dưới.</translation>
    </message>
    <message>
        <source>Reading the program…</source>
        <translation>Đang đọc chương trình…</translation>
    </message>
    <message>
        <source>Search apps</source>
        <translation>Tìm ứng dụng</translation>
    </message>
    <message>
        <source>Search apps, for example Roblox or Cốc Cốc</source>
        <translation>Tìm ứng dụng, ví dụ Roblox hoặc Cốc Cốc</translation>
    </message>
</context>
<context>
    <name>AppPickerPage</name>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Sửa…</translation>
    </message>
    <message>
        <source>Add a &amp;running program…</source>
        <translation>Thêm chương trình đang &amp;chạy…</translation>
    </message>
    <message>
        <source>Add a &amp;website…</source>
        <translation>Thêm trang &amp;web…</translation>
    </message>
    <message>
        <source>Add a program &amp;file…</source>
        <translation>Thêm &amp;tệp chương trình…</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Nhóm</translation>
    </message>
    <message>
        <source>Could not save: {reason}</source>
        <translation>Không lưu được: {reason}</translation>
    </message>
    <message>
        <source>Guardian already knows hundreds of apps. Add a program or website it does not know, then use it in any child&apos;s rules.</source>
        <translation>Guardian đã biết hàng trăm ứng dụng. Hãy thêm chương trình hoặc trang web mà Guardian chưa biết, rồi dùng nó trong quy tắc của bất kỳ con nào.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Only a parent can change apps.</source>
        <translation>Chỉ cha mẹ mới thay đổi được ứng dụng.</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Xóa</translation>
    </message>
    <message>
        <source>Recognised by</source>
        <translation>Nhận biết qua</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>Your own apps</source>
        <translation>Ứng dụng bạn tự thêm</translation>
    </message>
    <message>
        <source>file fingerprint</source>
        <translation>dấu vân tay của tệp</translation>
    </message>
</context>
<context>
    <name>AskWindow</name>
    <message>
        <source>6-digit code</source>
        <translation>Mã 6 chữ số</translation>
    </message>
    <message>
        <source>A parent can read you the code from the authenticator app on their phone.</source>
        <translation>Bố mẹ có thể đọc cho bạn mã trong ứng dụng xác thực trên điện thoại.</translation>
    </message>
    <message>
        <source>A parent is away: call them</source>
        <translation>Bố mẹ đi vắng: hãy gọi điện</translation>
    </message>
    <message>
        <source>A parent is here</source>
        <translation>Bố mẹ đang ở đây</translation>
    </message>
    <message>
        <source>Approvals by phone are used up for today.</source>
        <translation>Hôm nay đã hết lượt đồng ý qua điện thoại.</translation>
    </message>
    <message>
        <source>Approve with PIN</source>
        <translation>Đồng ý bằng mã PIN</translation>
    </message>
    <message>
        <source>Approve with code</source>
        <translation>Đồng ý bằng mã</translation>
    </message>
    <message>
        <source>Ask for more time</source>
        <translation>Xin thêm giờ</translation>
    </message>
    <message>
        <source>Asked for {time}. Waiting for a parent&apos;s answer…</source>
        <translation>Đã xin thêm {time}. Đang chờ bố mẹ trả lời…</translation>
    </message>
    <message>
        <source>Guardian is not answering right now. Try again in a moment.</source>
        <translation>Guardian chưa trả lời. Bạn thử lại sau một chút nhé.</translation>
    </message>
    <message>
        <source>How much more time?</source>
        <translation>Bạn muốn thêm bao lâu?</translation>
    </message>
    <message>
        <source>Not possible: {reason}</source>
        <translation>Không được: {reason}</translation>
    </message>
    <message>
        <source>Not this time. Your parents said no.</source>
        <translation>Lần này chưa được. Bố mẹ đã từ chối.</translation>
    </message>
    <message>
        <source>Parent PIN</source>
        <translation>Mã PIN của bố mẹ</translation>
    </message>
    <message>
        <source>Please write a short reason for your parents.</source>
        <translation>Hãy viết vài chữ cho bố mẹ biết vì sao nhé.</translation>
    </message>
    <message>
        <source>Send to my parents</source>
        <translation>Gửi cho bố mẹ</translation>
    </message>
    <message>
        <source>Something went wrong: {reason}</source>
        <translation>Có lỗi xảy ra: {reason}</translation>
    </message>
    <message>
        <source>That did not work: {reason}</source>
        <translation>Chưa được: {reason}</translation>
    </message>
    <message>
        <source>Too many tries. {reason}</source>
        <translation>Thử sai quá nhiều lần. {reason}</translation>
    </message>
    <message>
        <source>Why? For example: to finish my homework</source>
        <translation>Vì sao? Ví dụ: để làm xong bài tập</translation>
    </message>
    <message>
        <source>Yes! You got {time} more.</source>
        <translation>Được rồi! Bạn có thêm {time}.</translation>
    </message>
</context>
<context>
    <name>ChildCard</name>
    <message>
        <source>%1 extra given</source>
        <translation>đã cho thêm %1</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>còn %1</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 phút</translation>
    </message>
    <message>
        <source>%1 years old</source>
        <translation>%1 tuổi</translation>
    </message>
    <message>
        <source>Allowed hours today</source>
        <translation>Giờ được phép hôm nay</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Bất kỳ lúc nào</translation>
    </message>
    <message>
        <source>Apps today</source>
        <translation>Ứng dụng hôm nay</translation>
    </message>
    <message>
        <source>Asking for more time</source>
        <translation>Đang xin thêm thời gian</translation>
    </message>
    <message>
        <source>Give %1 %2 minutes more</source>
        <translation>Cho %1 thêm %2 phút</translation>
    </message>
    <message>
        <source>Give extra time:</source>
        <translation>Cho thêm giờ:</translation>
    </message>
    <message>
        <source>Lock now</source>
        <translation>Khóa ngay</translation>
    </message>
    <message>
        <source>No apps used yet today.</source>
        <translation>Hôm nay chưa dùng ứng dụng nào.</translation>
    </message>
    <message>
        <source>Not allowed today</source>
        <translation>Hôm nay không được dùng</translation>
    </message>
    <message>
        <source>Now: %1</source>
        <translation>Hiện tại: %1</translation>
    </message>
    <message>
        <source>Now: not using an app</source>
        <translation>Hiện tại: không dùng ứng dụng nào</translation>
    </message>
    <message>
        <source>Now: unknown (the agent is not running)</source>
        <translation>Hiện tại: chưa rõ (dịch vụ Guardian không chạy)</translation>
    </message>
    <message>
        <source>Pause until tomorrow</source>
        <translation>Tạm dừng đến mai</translation>
    </message>
    <message>
        <source>Resume today</source>
        <translation>Cho dùng lại hôm nay</translation>
    </message>
    <message>
        <source>The Guardian agent is not running, so this cannot be done now.</source>
        <translation>Dịch vụ Guardian không chạy nên chưa thể làm việc này.</translation>
    </message>
    <message>
        <source>The running agent does not offer this yet.</source>
        <translation>Dịch vụ Guardian đang chạy chưa hỗ trợ thao tác này.</translation>
    </message>
    <message>
        <source>Used %1 today</source>
        <translation>Hôm nay đã dùng %1</translation>
    </message>
    <message>
        <source>no daily limit</source>
        <translation>không giới hạn thời gian</translation>
    </message>
    <message>
        <source>outside allowed hours</source>
        <translation>ngoài giờ được phép</translation>
    </message>
    <message>
        <source>paused until tomorrow</source>
        <translation>tạm dừng đến mai</translation>
    </message>
    <message>
        <source>time is up</source>
        <translation>đã hết giờ</translation>
    </message>
</context>
<context>
    <name>ChildrenPage</name>
    <message>
        <source> years</source>
        <translation> tuổi</translation>
    </message>
    <message>
        <source>%1 (used by %2)</source>
        <translation>%1 (của %2)</translation>
    </message>
    <message>
        <source>%1 was added with no limits yet; set them on the Rules page.</source>
        <translation>Đã thêm %1, chưa có giới hạn nào; hãy đặt ở trang Quy tắc.</translation>
    </message>
    <message>
        <source>%1 was added with the rules suggested for their age; change them on the Rules page.</source>
        <translation>Đã thêm %1 với các quy tắc gợi ý theo độ tuổi; có thể sửa ở trang Quy tắc.</translation>
    </message>
    <message>
        <source>%1 was removed and their records erased.</source>
        <translation>Đã bỏ %1 và xóa toàn bộ dữ liệu của con.</translation>
    </message>
    <message>
        <source>%1 was removed; their records are kept.</source>
        <translation>Đã bỏ %1; dữ liệu của con vẫn được giữ lại.</translation>
    </message>
    <message>
        <source>&amp;Add a child</source>
        <translation>&amp;Thêm con</translation>
    </message>
    <message>
        <source>&amp;Add child</source>
        <translation>&amp;Thêm con</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Tên:</translation>
    </message>
    <message>
        <source>&amp;Other account names:</source>
        <translation>Tài khoản &amp;khác:</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Bỏ con này…</translation>
    </message>
    <message>
        <source>&amp;Rules:</source>
        <translation>&amp;Quy tắc:</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lưu</translation>
    </message>
    <message>
        <source>A new child</source>
        <translation>Thêm một con</translation>
    </message>
    <message>
        <source>A&amp;ge:</source>
        <translation>T&amp;uổi:</translation>
    </message>
    <message>
        <source>Account names, separated by commas</source>
        <translation>Tên tài khoản, cách nhau bằng dấu phẩy</translation>
    </message>
    <message>
        <source>Add each child who uses this computer. Rules suited to their age are suggested; you can change them later.</source>
        <translation>Thêm lần lượt từng con dùng máy tính này. Guardian sẽ gợi ý quy tắc hợp với tuổi của con; bạn có thể đổi lại sau.</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Tuổi</translation>
    </message>
    <message>
        <source>Child&apos;s age</source>
        <translation>Tuổi của con</translation>
    </message>
    <message>
        <source>Child&apos;s name</source>
        <translation>Tên của con</translation>
    </message>
    <message>
        <source>Children</source>
        <translation>Các con</translation>
    </message>
    <message>
        <source>Children added</source>
        <translation>Các con đã thêm</translation>
    </message>
    <message>
        <source>Children added:</source>
        <translation>Các con đã thêm:</translation>
    </message>
    <message>
        <source>Choose an age from 0 to 17.</source>
        <translation>Hãy chọn tuổi từ 0 đến 17.</translation>
    </message>
    <message>
        <source>Computer a&amp;ccounts:</source>
        <translation>Tài khoản &amp;máy tính:</translation>
    </message>
    <message>
        <source>Computer accounts this child uses</source>
        <translation>Tài khoản máy tính con sử dụng</translation>
    </message>
    <message>
        <source>Could not read the rules: %1</source>
        <translation>Không đọc được quy tắc: %1</translation>
    </message>
    <message>
        <source>No limits for now</source>
        <translation>Tạm thời chưa giới hạn</translation>
    </message>
    <message>
        <source>No limits: Guardian only records time until you add rules.</source>
        <translation>Chưa giới hạn: Guardian chỉ ghi lại thời gian sử dụng cho đến khi bạn thêm quy tắc.</translation>
    </message>
    <message>
        <source>Nothing was changed: %1</source>
        <translation>Chưa thay đổi gì: %1</translation>
    </message>
    <message>
        <source>Only people&apos;s accounts of this computer are listed: not the administrator (root) or system accounts.</source>
        <translation>Chỉ hiện tài khoản của người dùng trên máy này, không có tài khoản quản trị (root) hay tài khoản hệ thống.</translation>
    </message>
    <message>
        <source>Other account names</source>
        <translation>Tên tài khoản khác</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Xóa</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <source>Saved. Guardian applies it to %1 within a few seconds.</source>
        <translation>Đã lưu. Vài giây nữa Guardian sẽ áp dụng cho %1.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>Suggested rules</source>
        <translation>Quy tắc gợi ý</translation>
    </message>
    <message>
        <source>The account {account} already belongs to another child.</source>
        <translation>Tài khoản {account} đã được gán cho một con khác.</translation>
    </message>
    <message>
        <source>There is already a child with that name.</source>
        <translation>Đã có một con mang tên này.</translation>
    </message>
    <message>
        <source>Type the child&apos;s name first.</source>
        <translation>Hãy nhập tên của con trước.</translation>
    </message>
    <message>
        <source>Type the child&apos;s name.</source>
        <translation>Hãy nhập tên của con.</translation>
    </message>
    <message>
        <source>Your children</source>
        <translation>Các con của bạn</translation>
    </message>
    <message>
        <source>no account yet</source>
        <translation>chưa có tài khoản</translation>
    </message>
    <message>
        <source>no limits</source>
        <translation>chưa giới hạn</translation>
    </message>
    <message>
        <source>not given</source>
        <translation>không ghi</translation>
    </message>
    <message>
        <source>{name} ({age}) · {rules} · {accounts}</source>
        <translation>{name} ({age} tuổi) · {rules} · {accounts}</translation>
    </message>
    <message>
        <source>{name} ({low}–{high} years)</source>
        <translation>{name} ({low}–{high} tuổi)</translation>
    </message>
</context>
<context>
    <name>ConsoleWindow</name>
    <message>
        <source>&amp;Lock</source>
        <translation>&amp;Khóa</translation>
    </message>
    <message>
        <source>Apps</source>
        <translation>Ứng dụng</translation>
    </message>
    <message>
        <source>Children</source>
        <translation>Các con</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Tổng quan</translation>
    </message>
    <message>
        <source>Guide for parents</source>
        <translation>Hướng dẫn cho cha mẹ</translation>
    </message>
    <message>
        <source>Lock the console</source>
        <translation>Khóa bảng điều khiển</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Các trang</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>Quy tắc</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>Summaries</source>
        <translation>Tóm tắt tuần</translation>
    </message>
    <message>
        <source>Web</source>
        <translation>Web</translation>
    </message>
</context>
<context>
    <name>CustomAppDialog</name>
    <message>
        <source>&amp;Category:</source>
        <translation>&amp;Nhóm:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Tên:</translation>
    </message>
    <message>
        <source>App name</source>
        <translation>Tên ứng dụng</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Edit app</source>
        <translation>Sửa ứng dụng</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>%1 got %2 more today.</source>
        <translation>Đã cho %1 thêm %2 hôm nay.</translation>
    </message>
    <message>
        <source>%1 has no open session on this computer to lock.</source>
        <translation>%1 hiện không đăng nhập trên máy này nên không có gì để khóa.</translation>
    </message>
    <message>
        <source>%1 of %2 sessions of %3 were locked.</source>
        <translation>Đã khóa %1 trong %2 phiên của %3.</translation>
    </message>
    <message>
        <source>%1 reached a time limit.</source>
        <translation>%1 đã dùng hết thời gian cho phép.</translation>
    </message>
    <message>
        <source>%1 tried to open %2, which is blocked or out of time.</source>
        <translation>%1 đã thử mở %2 trong khi ứng dụng này đang bị chặn hoặc đã hết giờ.</translation>
    </message>
    <message>
        <source>%1 was paused until tomorrow.</source>
        <translation>%1 đã được tạm dừng đến mai.</translation>
    </message>
    <message>
        <source>%1&apos;s computer was locked from the console.</source>
        <translation>Máy tính của %1 đã được khóa từ bảng điều khiển.</translation>
    </message>
    <message>
        <source>%1&apos;s session was locked.</source>
        <translation>Đã khóa phiên của %1.</translation>
    </message>
    <message>
        <source>&amp;Start protection</source>
        <translation>&amp;Bật bảo vệ</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Hoàn tác</translation>
    </message>
    <message>
        <source>A child</source>
        <translation>Một bé</translation>
    </message>
    <message>
        <source>A wrong PIN was typed.</source>
        <translation>Có người đã nhập sai mã PIN.</translation>
    </message>
    <message>
        <source>Extra time for %1 was taken back (%3).</source>
        <translation>Đã lấy lại thời gian thêm của %1 (%3).</translation>
    </message>
    <message>
        <source>Extra time from the console</source>
        <translation>Cho thêm giờ từ bảng điều khiển</translation>
    </message>
    <message>
        <source>Guardian</source>
        <translation>Guardian</translation>
    </message>
    <message>
        <source>Guardian closed %2 for %1.</source>
        <translation>Guardian đã đóng %2 trên máy của %1.</translation>
    </message>
    <message>
        <source>Guardian was not running for %3.</source>
        <translation>Guardian đã ngừng chạy trong %3.</translation>
    </message>
    <message>
        <source>Guardian&apos;s helper was not running in %1&apos;s session.</source>
        <translation>Trình hỗ trợ của Guardian không chạy trong phiên của %1.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>Lock now for %1 did nothing: no session of theirs was open or it could not be locked.</source>
        <translation>Khóa ngay cho %1 không có tác dụng: con không có phiên nào đang mở, hoặc không khóa được.</translation>
    </message>
    <message>
        <source>No children yet. Add a child on the Children page.</source>
        <translation>Chưa có con nào. Hãy thêm con ở trang Các con.</translation>
    </message>
    <message>
        <source>Not protected: %1 has no computer account linked. Link one on the Children page.</source>
        <translation>Chưa được bảo vệ: %1 chưa gắn với tài khoản máy tính nào. Hãy gắn ở trang Các con.</translation>
    </message>
    <message>
        <source>Pause %1 until tomorrow? Only always-allowed apps can be used until then.</source>
        <translation>Tạm dừng %1 đến mai? Từ giờ đến lúc đó chỉ dùng được các ứng dụng luôn được phép.</translation>
    </message>
    <message>
        <source>Protection is OFF: the Guardian agent has never run on this computer, so no limits are enforced.</source>
        <translation>Bảo vệ đang TẮT: dịch vụ Guardian chưa từng chạy trên máy này, nên chưa có giới hạn nào được áp dụng.</translation>
    </message>
    <message>
        <source>Protection is OFF: the Guardian agent is not running, so no limits are enforced now. The figures below come from the saved record.</source>
        <translation>Bảo vệ đang TẮT: dịch vụ Guardian không chạy, nên lúc này không có giới hạn nào được áp dụng. Số liệu dưới đây lấy từ dữ liệu đã lưu.</translation>
    </message>
    <message>
        <source>Protection may be off: the Guardian agent does not answer the console. The figures below come from the saved record.</source>
        <translation>Có thể bảo vệ đang tắt: dịch vụ Guardian không trả lời bảng điều khiển. Số liệu dưới đây lấy từ dữ liệu đã lưu.</translation>
    </message>
    <message>
        <source>Protection status</source>
        <translation>Tình trạng bảo vệ</translation>
    </message>
    <message>
        <source>Request approved in the console</source>
        <translation>Đã đồng ý yêu cầu trong bảng điều khiển</translation>
    </message>
    <message>
        <source>Result of the last action</source>
        <translation>Kết quả của thao tác vừa rồi</translation>
    </message>
    <message>
        <source>Start the Guardian agent for this account</source>
        <translation>Chạy dịch vụ Guardian cho tài khoản này</translation>
    </message>
    <message>
        <source>Starting protection… this takes a few seconds.</source>
        <translation>Đang bật bảo vệ… mất vài giây.</translation>
    </message>
    <message>
        <source>Take back the extra time just given</source>
        <translation>Lấy lại thời gian vừa cho thêm</translation>
    </message>
    <message>
        <source>The Guardian agent is not running or does not answer, so this cannot be done now.</source>
        <translation>Dịch vụ Guardian không chạy hoặc không phản hồi nên chưa thể làm việc này.</translation>
    </message>
    <message>
        <source>The agent could not be started: %1</source>
        <translation>Không chạy được dịch vụ Guardian: %1</translation>
    </message>
    <message>
        <source>The computer could not lock %1&apos;s session.</source>
        <translation>Máy tính không khóa được phiên của %1.</translation>
    </message>
    <message>
        <source>The computer&apos;s clock was changed.</source>
        <translation>Đồng hồ của máy tính đã bị thay đổi.</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <source>Undone: the %1 were taken back.</source>
        <translation>Đã hoàn tác: lấy lại %1.</translation>
    </message>
    <message>
        <source>an app</source>
        <translation>một ứng dụng</translation>
    </message>
</context>
<context>
    <name>DegradedBanner</name>
    <message>
        <source>Details: %1</source>
        <translation>Chi tiết: %1</translation>
    </message>
    <message>
        <source>Protection is reduced: Guardian&apos;s database cannot be used (it is damaged, missing or cannot be written). The agent keeps enforcing the last saved rules and counts time in a separate file until the database is repaired.</source>
        <translation>Bảo vệ đang bị hạn chế: không dùng được cơ sở dữ liệu của Guardian (bị hỏng, bị mất hoặc không ghi được). Dịch vụ Guardian vẫn áp dụng các quy tắc đã lưu gần nhất và tạm ghi thời gian sử dụng vào một tệp riêng cho đến khi cơ sở dữ liệu được sửa.</translation>
    </message>
    <message>
        <source>Protection is reduced: the Guardian agent cannot do everything it should.</source>
        <translation>Bảo vệ đang bị hạn chế: dịch vụ Guardian không làm được hết những việc cần làm.</translation>
    </message>
    <message>
        <source>Protection status</source>
        <translation>Tình trạng bảo vệ</translation>
    </message>
    <message>
        <source>What to do: restart the computer. If this message stays, make sure the disk is not full, then ask whoever administers this computer to restore Guardian&apos;s database from the backup beside it (the details below name the files).</source>
        <translation>Bạn nên làm gì: khởi động lại máy tính. Nếu thông báo này vẫn còn, hãy kiểm tra xem ổ đĩa có bị đầy không, rồi nhờ người quản trị máy khôi phục cơ sở dữ liệu của Guardian từ bản sao lưu nằm cạnh nó (phần chi tiết bên dưới có ghi tên các tệp).</translation>
    </message>
    <message>
        <source>What to do: restart the computer. If this message stays, show the details below to whoever administers this computer.</source>
        <translation>Bạn nên làm gì: khởi động lại máy tính. Nếu thông báo này vẫn còn, hãy cho người quản trị máy xem phần chi tiết bên dưới.</translation>
    </message>
</context>
<context>
    <name>DurationEdit</name>
    <message>
        <source> h</source>
        <translation> giờ</translation>
    </message>
    <message>
        <source> min</source>
        <translation> phút</translation>
    </message>
    <message>
        <source>{name}, hours</source>
        <translation>{name}, số giờ</translation>
    </message>
    <message>
        <source>{name}, minutes</source>
        <translation>{name}, số phút</translation>
    </message>
</context>
<context>
    <name>Durations</name>
    <message>
        <source>%1 h</source>
        <translation>%1 giờ</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 giờ %2 phút</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 phút</translation>
    </message>
</context>
<context>
    <name>EventsCard</name>
    <message>
        <source>Nothing notable in the last 7 days.</source>
        <translation>Không có gì đáng chú ý trong 7 ngày qua.</translation>
    </message>
    <message>
        <source>Recent events</source>
        <translation>Sự kiện gần đây</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <source>&amp;Finish</source>
        <translation>&amp;Hoàn tất</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>&amp;Tiếp &gt;</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Quay lại</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Guardian could not save the setup: {error}</source>
        <translation>Guardian không lưu được phần thiết lập: {error}</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>Set up Guardian</source>
        <translation>Thiết lập Guardian</translation>
    </message>
</context>
<context>
    <name>ForgotPinDialog</name>
    <message>
        <source>&amp;Code:</source>
        <translation>&amp;Mã:</translation>
    </message>
    <message>
        <source>&amp;New PIN:</source>
        <translation>Mã PIN &amp;mới:</translation>
    </message>
    <message>
        <source>&amp;Set the new PIN</source>
        <translation>Đặt mã &amp;PIN mới</translation>
    </message>
    <message>
        <source>6-digit code from the authenticator app</source>
        <translation>Mã 6 chữ số từ ứng dụng xác thực</translation>
    </message>
    <message>
        <source>A PIN is 4 to 12 digits.</source>
        <translation>Mã PIN gồm 4 đến 12 chữ số.</translation>
    </message>
    <message>
        <source>Ask the person who administers this computer (who knows its administrator password) to open a terminal and type the command below. It asks for a new parent PIN; the old one is not needed and the rules stay as they are.</source>
        <translation>Nhờ người quản trị máy tính này (người biết mật khẩu quản trị) mở cửa sổ dòng lệnh (terminal) và gõ lệnh dưới đây. Lệnh sẽ hỏi mã PIN mới của cha mẹ; không cần mã cũ và các quy tắc vẫn giữ nguyên.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <source>Command for the administrator</source>
        <translation>Lệnh dành cho người quản trị máy</translation>
    </message>
    <message>
        <source>Forgot the PIN?</source>
        <translation>Quên mã PIN?</translation>
    </message>
    <message>
        <source>New parent PIN</source>
        <translation>Mã PIN mới của cha mẹ</translation>
    </message>
    <message>
        <source>New parent PIN again</source>
        <translation>Nhập lại mã PIN mới của cha mẹ</translation>
    </message>
    <message>
        <source>PIN &amp;again:</source>
        <translation>Nhập &amp;lại mã PIN:</translation>
    </message>
    <message>
        <source>The PIN was not changed: %1</source>
        <translation>Mã PIN chưa được đổi: %1</translation>
    </message>
    <message>
        <source>The two PINs are not the same.</source>
        <translation>Hai lần nhập mã PIN không khớp nhau.</translation>
    </message>
    <message>
        <source>With your phone: open the authenticator app you set up for Guardian, type the 6-digit code it shows now, then choose a new PIN.</source>
        <translation>Dùng điện thoại: mở ứng dụng xác thực đã cài cho Guardian, nhập mã 6 chữ số đang hiện, rồi chọn mã PIN mới.</translation>
    </message>
    <message>
        <source>Without the phone:</source>
        <translation>Nếu không có điện thoại:</translation>
    </message>
</context>
<context>
    <name>GuidePage</name>
    <message>
        <source>&lt;b&gt;Child protection hotline 111&lt;/b&gt;: free, day and night. Call it whenever a child is in danger or you need advice.</source>
        <translation>&lt;b&gt;Đường dây nóng bảo vệ trẻ em 111&lt;/b&gt;: miễn phí, cả ngày lẫn đêm. Hãy gọi bất cứ khi nào trẻ gặp nguy hiểm hoặc bạn cần được tư vấn.</translation>
    </message>
    <message>
        <source>Child protection hotline 111</source>
        <translation>Đường dây nóng bảo vệ trẻ em 111</translation>
    </message>
    <message>
        <source>Guide for parents</source>
        <translation>Hướng dẫn cho cha mẹ</translation>
    </message>
</context>
<context>
    <name>HelpWindow</name>
    <message>
        <source>What Guardian records about you</source>
        <translation>Guardian ghi lại gì về bạn</translation>
    </message>
</context>
<context>
    <name>HoursGrid</name>
    <message>
        <source>Allowed hours, one row per day, one cell per half hour</source>
        <translation>Giờ được phép, mỗi hàng một ngày, mỗi ô nửa tiếng</translation>
    </message>
    <message>
        <source>Drag to allow or block hours. Arrow keys move, Space switches a half hour.</source>
        <translation>Kéo chuột để cho phép hoặc chặn các giờ. Phím mũi tên để di chuyển, phím cách để đổi một ô nửa tiếng.</translation>
    </message>
    <message>
        <source>allowed</source>
        <translation>được phép</translation>
    </message>
    <message>
        <source>not allowed</source>
        <translation>không được phép</translation>
    </message>
    <message>
        <source>{day} {time}: {state}</source>
        <translation>{day} {time}: {state}</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <source>Choose the language for Guardian:</source>
        <translation>Chọn ngôn ngữ cho Guardian:</translation>
    </message>
    <message>
        <source>Let&apos;s set up screen time for your family. It takes about five minutes.</source>
        <translation>Cùng thiết lập thời gian sử dụng máy tính cho gia đình bạn. Chỉ mất khoảng năm phút.</translation>
    </message>
    <message>
        <source>Welcome to Guardian</source>
        <translation>Chào mừng bạn đến với Guardian</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <source>&amp;Forgot the PIN?</source>
        <translation>&amp;Quên mã PIN?</translation>
    </message>
    <message>
        <source>&amp;Open the console</source>
        <translation>&amp;Mở bảng điều khiển</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Mở khóa</translation>
    </message>
    <message>
        <source>A PIN is 4 to 12 digits.</source>
        <translation>Mã PIN gồm 4 đến 12 chữ số.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <source>Choose a new parent PIN too: the code from your authenticator app lets you in once, the new PIN after that.</source>
        <translation>Hãy đặt luôn mã PIN mới của cha mẹ: mã từ ứng dụng xác thực chỉ cho vào một lần, sau đó bạn sẽ dùng mã PIN mới.</translation>
    </message>
    <message>
        <source>Code from the authenticator app</source>
        <translation>Mã từ ứng dụng xác thực</translation>
    </message>
    <message>
        <source>Enter the parent or caregiver PIN to continue.</source>
        <translation>Nhập mã PIN của cha mẹ hoặc người chăm sóc để tiếp tục.</translation>
    </message>
    <message>
        <source>First field: the 6-digit code your authenticator app shows now. Then a new parent PIN, twice.</source>
        <translation>Ô đầu tiên: mã 6 chữ số đang hiện trong ứng dụng xác thực. Sau đó nhập mã PIN mới của cha mẹ hai lần.</translation>
    </message>
    <message>
        <source>Forgot the PIN? Ways to set a new one</source>
        <translation>Quên mã PIN? Các cách đặt mã mới</translation>
    </message>
    <message>
        <source>Guardian is locked</source>
        <translation>Guardian đang khóa</translation>
    </message>
    <message>
        <source>New parent PIN</source>
        <translation>Mã PIN mới của cha mẹ</translation>
    </message>
    <message>
        <source>New parent PIN again</source>
        <translation>Nhập lại mã PIN mới của cha mẹ</translation>
    </message>
    <message>
        <source>No PIN is set yet. Set a parent PIN in Settings to protect the rules.</source>
        <translation>Chưa có mã PIN. Hãy đặt mã PIN của cha mẹ trong phần Cài đặt để bảo vệ các quy tắc.</translation>
    </message>
    <message>
        <source>Open the console</source>
        <translation>Mở bảng điều khiển</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Mã PIN</translation>
    </message>
    <message>
        <source>PIN message</source>
        <translation>Thông báo về mã PIN</translation>
    </message>
    <message>
        <source>That PIN is not right (attempt %1).</source>
        <translation>Mã PIN không đúng (lần thử thứ %1).</translation>
    </message>
    <message>
        <source>That code is not right, or it was used already.</source>
        <translation>Mã này không đúng hoặc đã được dùng rồi.</translation>
    </message>
    <message>
        <source>The PIN could not be checked: %1</source>
        <translation>Chưa kiểm tra được mã PIN: %1</translation>
    </message>
    <message>
        <source>The two new PINs are not the same.</source>
        <translation>Hai lần nhập mã PIN mới không khớp nhau.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in %1 s, or type a code from your authenticator app and choose a new parent PIN.</source>
        <translation>Nhập sai mã PIN quá nhiều lần. Hãy thử lại sau %1 giây, hoặc nhập mã từ ứng dụng xác thực và đặt mã PIN mới của cha mẹ.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in %1 s.</source>
        <translation>Nhập sai mã PIN quá nhiều lần. Hãy thử lại sau %1 giây.</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Mở khóa</translation>
    </message>
    <message>
        <source>Welcome to Guardian</source>
        <translation>Chào mừng bạn đến với Guardian</translation>
    </message>
</context>
<context>
    <name>PersonalBanner</name>
    <message>
        <source>%1 can stop it, and read or change its rules and records.</source>
        <translation>Tài khoản %1 có thể tắt nó, cũng như xem hoặc sửa các quy tắc và dữ liệu của nó.</translation>
    </message>
    <message>
        <source>A blocked program starts and is closed a moment later, instead of never starting.</source>
        <translation>Chương trình bị chặn vẫn mở lên được rồi mới bị đóng sau giây lát, thay vì không mở được ngay từ đầu.</translation>
    </message>
    <message>
        <source>It closes only the apps of %1, never those of another account (a child&apos;s own).</source>
        <translation>Nó chỉ đóng được ứng dụng của tài khoản %1, không đóng được ứng dụng của tài khoản khác (như tài khoản riêng của con).</translation>
    </message>
    <message>
        <source>Personal mode: Guardian runs as the account %1, not as a protected service, so it protects less:</source>
        <translation>Chế độ cá nhân: Guardian đang chạy bằng tài khoản %1 chứ không phải dịch vụ được bảo vệ, nên bảo vệ kém hơn:</translation>
    </message>
    <message>
        <source>Protection status</source>
        <translation>Tình trạng bảo vệ</translation>
    </message>
    <message>
        <source>There is no web filter: no blocked sites, no forced SafeSearch, no browser policies.</source>
        <translation>Không có bộ lọc web: không chặn trang web, không bắt buộc Tìm kiếm an toàn, không áp dụng chính sách trình duyệt.</translation>
    </message>
    <message>
        <source>To guard a child&apos;s own account, install the protected service (it needs the password of this computer&apos;s administrator).</source>
        <translation>Muốn bảo vệ tài khoản riêng của con, hãy cài dịch vụ được bảo vệ (cần mật khẩu quản trị của máy tính này).</translation>
    </message>
    <message>
        <source>this account</source>
        <translation>này</translation>
    </message>
</context>
<context>
    <name>PinPage</name>
    <message>
        <source>&amp;Caregiver PIN:</source>
        <translation>Mã PIN người &amp;chăm sóc:</translation>
    </message>
    <message>
        <source>&amp;Parent PIN:</source>
        <translation>Mã PIN của &amp;cha mẹ:</translation>
    </message>
    <message>
        <source>Caregiver PIN a&amp;gain:</source>
        <translation>Nhập &amp;lại mã PIN người chăm sóc:</translation>
    </message>
    <message>
        <source>Choose a PIN of 4 to 12 digits that your children do not know.</source>
        <translation>Chọn một mã PIN gồm 4 đến 12 chữ số mà các con không biết.</translation>
    </message>
    <message>
        <source>Only someone with the parent PIN can change the rules.</source>
        <translation>Chỉ người có mã PIN của cha mẹ mới thay đổi được quy tắc.</translation>
    </message>
    <message>
        <source>Optional: a caregiver PIN for grandparents or a nanny. It can read summaries and answer requests for more time, but not change the rules.</source>
        <translation>Không bắt buộc: mã PIN người chăm sóc, dành cho ông bà hoặc người giúp việc. Với mã này có thể xem bản tóm tắt và trả lời khi con xin thêm giờ, nhưng không đổi được quy tắc.</translation>
    </message>
    <message>
        <source>Parent PIN</source>
        <translation>Mã PIN của cha mẹ</translation>
    </message>
    <message>
        <source>Parent PIN &amp;again:</source>
        <translation>Nhập lại mã PIN &amp;cha mẹ:</translation>
    </message>
    <message>
        <source>The caregiver PIN must be 4 to 12 digits.</source>
        <translation>Mã PIN người chăm sóc phải gồm 4 đến 12 chữ số.</translation>
    </message>
    <message>
        <source>The caregiver PIN must be different from the parent PIN.</source>
        <translation>Mã PIN người chăm sóc phải khác mã PIN của cha mẹ.</translation>
    </message>
    <message>
        <source>The parent PIN must be 4 to 12 digits.</source>
        <translation>Mã PIN của cha mẹ phải gồm 4 đến 12 chữ số.</translation>
    </message>
    <message>
        <source>The two caregiver PINs are not the same.</source>
        <translation>Hai lần nhập mã PIN người chăm sóc không khớp nhau.</translation>
    </message>
    <message>
        <source>The two parent PINs are not the same.</source>
        <translation>Hai lần nhập mã PIN của cha mẹ không khớp nhau.</translation>
    </message>
    <message>
        <source>Tip: a PIN of 6 digits or more is much harder for a child to guess.</source>
        <translation>Mẹo: mã PIN từ 6 chữ số trở lên thì con khó đoán hơn nhiều.</translation>
    </message>
</context>
<context>
    <name>PresetDialog</name>
    <message>
        <source>Age preset</source>
        <translation>Mẫu theo độ tuổi</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Áp dụng</translation>
    </message>
    <message>
        <source>Apply an age preset</source>
        <translation>Áp dụng mẫu theo độ tuổi</translation>
    </message>
    <message>
        <source>Applying a preset replaces all of this child&apos;s rules. You can still undo it.</source>
        <translation>Áp dụng mẫu sẽ thay toàn bộ quy tắc của con. Bạn vẫn có thể hoàn tác.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>{name} ({low}–{high} years)</source>
        <translation>{name} ({low}–{high} tuổi)</translation>
    </message>
</context>
<context>
    <name>RefList</name>
    <message>
        <source>Add to: {name}</source>
        <translation>Thêm vào: {name}</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Thêm…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Remove from: {name}</source>
        <translation>Xóa khỏi: {name}</translation>
    </message>
</context>
<context>
    <name>RemoveChildDialog</name>
    <message>
        <source>%1 will no longer be limited or watched on this computer. What should happen to the records of their time so far?</source>
        <translation>Guardian sẽ không giới hạn và theo dõi %1 trên máy này nữa. Còn dữ liệu thời gian sử dụng từ trước đến nay thì sao?</translation>
    </message>
    <message>
        <source>&amp;Erase them for good</source>
        <translation>&amp;Xóa hẳn</translation>
    </message>
    <message>
        <source>&amp;Keep them (past reports still show %1)</source>
        <translation>&amp;Giữ lại (báo cáo cũ vẫn có %1)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Bỏ</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>Bỏ %1</translation>
    </message>
</context>
<context>
    <name>RequestRow</name>
    <message>
        <source>&amp;Approve</source>
        <translation>&amp;Cho thêm</translation>
    </message>
    <message>
        <source>&amp;Deny</source>
        <translation>&amp;Từ chối</translation>
    </message>
    <message>
        <source>Approve request</source>
        <translation>Đồng ý yêu cầu</translation>
    </message>
    <message>
        <source>Asks for %1</source>
        <translation>Xin thêm %1</translation>
    </message>
    <message>
        <source>Deny request</source>
        <translation>Từ chối yêu cầu</translation>
    </message>
    <message>
        <source>Minutes to give</source>
        <translation>Số phút cho thêm</translation>
    </message>
    <message>
        <source>min</source>
        <translation>phút</translation>
    </message>
    <message>
        <source>of %1</source>
        <translation>để dùng %1</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>Check the rules</source>
        <translation>Xem lại quy tắc</translation>
    </message>
    <message>
        <source>The rules in plain words</source>
        <translation>Tóm tắt các quy tắc</translation>
    </message>
    <message>
        <source>This is what Guardian will do. You can change any rule later in the console.</source>
        <translation>Đây là những gì Guardian sẽ làm. Sau này bạn có thể đổi bất kỳ quy tắc nào trong bảng điều khiển.</translation>
    </message>
</context>
<context>
    <name>RulesEditorPage</name>
    <message>
        <source>&amp;Add limit…</source>
        <translation>&amp;Thêm giới hạn…</translation>
    </message>
    <message>
        <source>&amp;Child:</source>
        <translation>&amp;Con:</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Sửa…</translation>
    </message>
    <message>
        <source>&amp;Limit daily screen time</source>
        <translation>&amp;Giới hạn thời gian sử dụng mỗi ngày</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Làm lại</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Lưu</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Hoàn tác</translation>
    </message>
    <message>
        <source>&amp;Wake-up:</source>
        <translation>Giờ &amp;dậy:</translation>
    </message>
    <message>
        <source>A daily time for some apps or categories, within the screen time.</source>
        <translation>Thời gian mỗi ngày cho một số ứng dụng hoặc nhóm ứng dụng, nằm trong thời gian sử dụng.</translation>
    </message>
    <message>
        <source>Allow &amp;every hour</source>
        <translation>Cho phép &amp;mọi giờ</translation>
    </message>
    <message>
        <source>Allowed hours</source>
        <translation>Giờ được phép</translation>
    </message>
    <message>
        <source>Allowed hours in words</source>
        <translation>Giờ được phép, viết thành chữ</translation>
    </message>
    <message>
        <source>Always allowed</source>
        <translation>Luôn được phép</translation>
    </message>
    <message>
        <source>Always allowed apps</source>
        <translation>Ứng dụng luôn được phép</translation>
    </message>
    <message>
        <source>App limits</source>
        <translation>Giới hạn ứng dụng</translation>
    </message>
    <message>
        <source>Apply age &amp;preset…</source>
        <translation>Áp dụng &amp;mẫu theo độ tuổi…</translation>
    </message>
    <message>
        <source>Bed&amp;time:</source>
        <translation>Giờ đi &amp;ngủ:</translation>
    </message>
    <message>
        <source>Bedtime</source>
        <translation>Giờ đi ngủ</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Bị chặn</translation>
    </message>
    <message>
        <source>Blocked and always allowed</source>
        <translation>Bị chặn và luôn được phép</translation>
    </message>
    <message>
        <source>Blocked apps</source>
        <translation>Ứng dụng bị chặn</translation>
    </message>
    <message>
        <source>Child</source>
        <translation>Con</translation>
    </message>
    <message>
        <source>Closed as soon as they start.</source>
        <translation>Bị đóng ngay khi vừa mở.</translation>
    </message>
    <message>
        <source>Could not read the rules: {reason}</source>
        <translation>Không đọc được quy tắc: {reason}</translation>
    </message>
    <message>
        <source>Could not save: {reason}</source>
        <translation>Không lưu được: {reason}</translation>
    </message>
    <message>
        <source>Days the bedtime is for</source>
        <translation>Những ngày áp dụng giờ đi ngủ</translation>
    </message>
    <message>
        <source>Every day</source>
        <translation>Mọi ngày</translation>
    </message>
    <message>
        <source>Fri and Sat</source>
        <translation>tối thứ Sáu và thứ Bảy</translation>
    </message>
    <message>
        <source>Green half hours are allowed. Drag across cells to switch them; with the keyboard, use the arrows and Space.</source>
        <translation>Các ô nửa tiếng màu xanh là được phép. Kéo chuột qua các ô để bật hoặc tắt; với bàn phím, dùng các phím mũi tên và phím cách.</translation>
    </message>
    <message>
        <source>How long the computer can be used each day, in total.</source>
        <translation>Tổng thời gian được dùng máy tính mỗi ngày.</translation>
    </message>
    <message>
        <source>Minutes before time is up when the child is warned, separated by commas. For every child.</source>
        <translation>Số phút trước khi hết giờ mà con được nhắc, cách nhau bằng dấu phẩy. Áp dụng cho tất cả các con.</translation>
    </message>
    <message>
        <source>Never counted or closed, even when time is up.</source>
        <translation>Không bao giờ bị tính giờ hay bị đóng, kể cả khi đã hết giờ.</translation>
    </message>
    <message>
        <source>Problems with the rules</source>
        <translation>Quy tắc đang có vấn đề</translation>
    </message>
    <message>
        <source>Remove limit</source>
        <translation>Xóa giới hạn</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Đã lưu</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>Screen time</source>
        <translation>Thời gian sử dụng</translation>
    </message>
    <message>
        <source>Set &amp;bedtime</source>
        <translation>Đặt &amp;giờ ngủ</translation>
    </message>
    <message>
        <source>This cannot be saved yet: {detail}</source>
        <translation>Chưa lưu được: {detail}</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Có thay đổi chưa lưu</translation>
    </message>
    <message>
        <source>Wake-up time</source>
        <translation>Giờ dậy</translation>
    </message>
    <message>
        <source>Warning times in minutes</source>
        <translation>Các mốc nhắc nhở, tính bằng phút</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Nhắc nhở</translation>
    </message>
    <message>
        <source>Warnings: write minutes as whole numbers from 1 to 240, separated by commas (for example 15, 5, 1).</source>
        <translation>Nhắc nhở: hãy ghi số phút là số nguyên từ 1 đến 240, cách nhau bằng dấu phẩy (ví dụ 15, 5, 1).</translation>
    </message>
    <message>
        <source>When time is up</source>
        <translation>Khi hết giờ</translation>
    </message>
    <message>
        <source>You are signed in as a caregiver: you can see the rules but only a parent can change them.</source>
        <translation>Bạn đang dùng mã PIN người chăm sóc: bạn xem được các quy tắc nhưng chỉ cha mẹ mới thay đổi được.</translation>
    </message>
    <message>
        <source>at any hour</source>
        <translation>giờ nào cũng được</translation>
    </message>
    <message>
        <source>every day</source>
        <translation>mọi ngày</translation>
    </message>
    <message>
        <source>not allowed</source>
        <translation>không được phép</translation>
    </message>
    <message>
        <source>school nights (Sun–Thu)</source>
        <translation>tối trước ngày đi học (CN–T5)</translation>
    </message>
</context>
<context>
    <name>RulesLabels</name>
    <message>
        <source>All {category}</source>
        <translation>Tất cả {category}</translation>
    </message>
    <message>
        <source>Apps are closed except the always-allowed ones, so homework can go on.</source>
        <translation>Các ứng dụng bị đóng, trừ những ứng dụng luôn được phép, để con vẫn làm được bài tập.</translation>
    </message>
    <message>
        <source>Close apps</source>
        <translation>Đóng ứng dụng</translation>
    </message>
    <message>
        <source>Drawing and creating</source>
        <translation>Vẽ và sáng tạo</translation>
    </message>
    <message>
        <source>Education</source>
        <translation>Học tập</translation>
    </message>
    <message>
        <source>Emulators</source>
        <translation>Trình giả lập</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>T6</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>Thứ Sáu</translation>
    </message>
    <message>
        <source>Games</source>
        <translation>Trò chơi</translation>
    </message>
    <message>
        <source>Lock the screen</source>
        <translation>Khóa màn hình</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>T2</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>Thứ Hai</translation>
    </message>
    <message>
        <source>Music</source>
        <translation>Âm nhạc</translation>
    </message>
    <message>
        <source>Nothing is closed; the child just sees that time is up.</source>
        <translation>Không đóng gì cả; con chỉ nhận được thông báo đã hết giờ.</translation>
    </message>
    <message>
        <source>Office and homework</source>
        <translation>Văn phòng và bài tập</translation>
    </message>
    <message>
        <source>Only notify</source>
        <translation>Chỉ thông báo</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Khác</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>T7</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>Thứ Bảy</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>Social networks and chat</source>
        <translation>Mạng xã hội và nhắn tin</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>CN</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>Chủ Nhật</translation>
    </message>
    <message>
        <source>The child is signed out; unsaved work in open apps may be lost.</source>
        <translation>Con bị đăng xuất; nội dung chưa lưu trong các ứng dụng đang mở có thể bị mất.</translation>
    </message>
    <message>
        <source>The computer locks; a parent can unlock it or give extra time.</source>
        <translation>Máy tính bị khóa; cha mẹ có thể mở khóa hoặc cho thêm giờ.</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>T5</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>Thứ Năm</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>T3</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>Thứ Ba</translation>
    </message>
    <message>
        <source>Utilities</source>
        <translation>Tiện ích</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>Video</translation>
    </message>
    <message>
        <source>Web browsers</source>
        <translation>Trình duyệt web</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>T4</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>Thứ Tư</translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation>{hours} giờ</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} giờ {minutes} phút</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} phút</translation>
    </message>
</context>
<context>
    <name>RunningProgramDialog</name>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Choose a running program</source>
        <translation>Chọn chương trình đang chạy</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>Running programs</source>
        <translation>Các chương trình đang chạy</translation>
    </message>
    <message>
        <source>Start the program on this computer, then choose it here.</source>
        <translation>Hãy mở chương trình trên máy tính này, rồi chọn nó ở đây.</translation>
    </message>
</context>
<context>
    <name>ServiceInstaller</name>
    <message>
        <source>&amp;Install the service</source>
        <translation>Cài &amp;dịch vụ</translation>
    </message>
    <message>
        <source>Install Guardian as a protected service (asks for the administrator&apos;s password)</source>
        <translation>Cài Guardian thành dịch vụ được bảo vệ (sẽ hỏi mật khẩu quản trị)</translation>
    </message>
    <message>
        <source>Installing the service failed: %1</source>
        <translation>Cài dịch vụ không thành công: %1</translation>
    </message>
    <message>
        <source>Nothing was installed: the administrator&apos;s password was not accepted, or this computer could not ask for it (%1).</source>
        <translation>Chưa cài được gì: mật khẩu quản trị không được chấp nhận, hoặc máy tính này không hỏi được mật khẩu (%1).</translation>
    </message>
    <message>
        <source>Nothing was installed: the administrator&apos;s prompt was closed without a password.</source>
        <translation>Chưa cài được gì: hộp thoại hỏi mật khẩu quản trị đã bị đóng mà chưa nhập mật khẩu.</translation>
    </message>
    <message>
        <source>Nothing was installed: this computer has no administrator prompt Guardian can use (%1). An administrator can install it from a terminal: sudo guardian service install</source>
        <translation>Chưa cài được gì: máy tính này không có hộp thoại hỏi mật khẩu quản trị mà Guardian dùng được (%1). Người quản trị có thể cài từ cửa sổ dòng lệnh: sudo guardian service install</translation>
    </message>
    <message>
        <source>The protected service is installed and its agent answers: protection is on, and a child&apos;s account cannot stop it.</source>
        <translation>Đã cài xong dịch vụ được bảo vệ và dịch vụ đã phản hồi: bảo vệ đang bật, tài khoản của con không tắt được.</translation>
    </message>
    <message>
        <source>The protected service is installed, but its agent does not answer yet. If protection does not come on within a minute, restart the computer.</source>
        <translation>Đã cài dịch vụ được bảo vệ nhưng dịch vụ chưa phản hồi. Nếu sau một phút bảo vệ vẫn chưa bật, hãy khởi động lại máy tính.</translation>
    </message>
    <message>
        <source>Waiting for the administrator&apos;s password in the system&apos;s prompt… Guardian keeps working meanwhile.</source>
        <translation>Đang chờ nhập mật khẩu quản trị trong hộp thoại của hệ thống… Trong lúc đó Guardian vẫn hoạt động bình thường.</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>không rõ lý do</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source> days</source>
        <translation> ngày</translation>
    </message>
    <message>
        <source> min</source>
        <translation> phút</translation>
    </message>
    <message>
        <source>&amp;Export rules…</source>
        <translation>&amp;Xuất quy tắc…</translation>
    </message>
    <message>
        <source>&amp;Import rules…</source>
        <translation>&amp;Nhập quy tắc…</translation>
    </message>
    <message>
        <source>&amp;Keep records for:</source>
        <translation>&amp;Lưu dữ liệu trong:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Ngôn ngữ:</translation>
    </message>
    <message>
        <source>&amp;New PIN:</source>
        <translation>Mã PIN &amp;mới:</translation>
    </message>
    <message>
        <source>&amp;Save settings</source>
        <translation>Lư&amp;u cài đặt</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>&amp;Xác minh</translation>
    </message>
    <message>
        <source>&amp;Warn before time is up (minutes):</source>
        <translation>Nhắc trước khi &amp;hết giờ (phút):</translation>
    </message>
    <message>
        <source>6-digit &amp;code:</source>
        <translation>&amp;Mã 6 chữ số:</translation>
    </message>
    <message>
        <source>6-digit code from the authenticator app</source>
        <translation>Mã 6 chữ số từ ứng dụng xác thực</translation>
    </message>
    <message>
        <source>A PIN is 4 to 12 digits.</source>
        <translation>Mã PIN gồm 4 đến 12 chữ số.</translation>
    </message>
    <message>
        <source>A caregiver (a grandparent, a nanny) can read summaries and answer requests, but not change rules.</source>
        <translation>Người chăm sóc (ông bà, người giúp việc) xem được bản tóm tắt và trả lời yêu cầu, nhưng không đổi được quy tắc.</translation>
    </message>
    <message>
        <source>A new &amp;day starts at:</source>
        <translation>Một &amp;ngày mới bắt đầu lúc:</translation>
    </message>
    <message>
        <source>An authenticator app is set up.</source>
        <translation>Đã thiết lập ứng dụng xác thực.</translation>
    </message>
    <message>
        <source>Approve requests for more time from your phone, even without internet: your child types the 6-digit code from the authenticator app on your phone.</source>
        <translation>Duyệt yêu cầu thêm thời gian từ điện thoại của bạn, kể cả khi không có internet: con chỉ cần nhập mã 6 chữ số từ ứng dụng xác thực trên điện thoại của bạn.</translation>
    </message>
    <message>
        <source>Authenticator app</source>
        <translation>Ứng dụng xác thực</translation>
    </message>
    <message>
        <source>C&amp;hange parent PIN</source>
        <translation>Đổi mã PIN &amp;cha mẹ</translation>
    </message>
    <message>
        <source>C&amp;urrent PIN:</source>
        <translation>Mã PIN &amp;hiện tại:</translation>
    </message>
    <message>
        <source>Caregiver PIN</source>
        <translation>Mã PIN người chăm sóc</translation>
    </message>
    <message>
        <source>Caregiver PIN again</source>
        <translation>Nhập lại mã PIN người chăm sóc</translation>
    </message>
    <message>
        <source>Change the PIN that opens everything. 6 digits are much harder to guess than 4; avoid birthdays.</source>
        <translation>Đổi mã PIN mở được mọi thứ. Mã 6 chữ số khó đoán hơn nhiều so với 4 chữ số; đừng dùng ngày sinh.</translation>
    </message>
    <message>
        <source>Choose a time between 00:00 and 23:59.</source>
        <translation>Hãy chọn giờ từ 00:00 đến 23:59.</translation>
    </message>
    <message>
        <source>Current parent PIN</source>
        <translation>Mã PIN hiện tại của cha mẹ</translation>
    </message>
    <message>
        <source>Done: codes from your phone now approve requests.</source>
        <translation>Xong: từ nay bạn có thể duyệt yêu cầu bằng mã trên điện thoại.</translation>
    </message>
    <message>
        <source>Export rules</source>
        <translation>Xuất quy tắc</translation>
    </message>
    <message>
        <source>Family file</source>
        <translation>Tệp quy tắc gia đình</translation>
    </message>
    <message>
        <source>Family file (*.toml)</source>
        <translation>Tệp quy tắc gia đình (*.toml)</translation>
    </message>
    <message>
        <source>Import rules</source>
        <translation>Nhập quy tắc</translation>
    </message>
    <message>
        <source>Keep records for 7 to 3650 days.</source>
        <translation>Thời gian lưu dữ liệu phải từ 7 đến 3650 ngày.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>New PIN a&amp;gain:</source>
        <translation>Nhập lại mã PIN mớ&amp;i:</translation>
    </message>
    <message>
        <source>New caregiver &amp;PIN:</source>
        <translation>Mã &amp;PIN người chăm sóc mới:</translation>
    </message>
    <message>
        <source>New caregiver PIN</source>
        <translation>Mã PIN người chăm sóc mới</translation>
    </message>
    <message>
        <source>New parent PIN</source>
        <translation>Mã PIN mới của cha mẹ</translation>
    </message>
    <message>
        <source>New parent PIN again</source>
        <translation>Nhập lại mã PIN mới của cha mẹ</translation>
    </message>
    <message>
        <source>Not counted after &amp;idle for:</source>
        <translation>Không tính giờ khi &amp;không thao tác quá:</translation>
    </message>
    <message>
        <source>Not set up yet.</source>
        <translation>Chưa thiết lập.</translation>
    </message>
    <message>
        <source>PIN &amp;again:</source>
        <translation>Nhập &amp;lại mã PIN:</translation>
    </message>
    <message>
        <source>Parent PIN</source>
        <translation>Mã PIN của cha mẹ</translation>
    </message>
    <message>
        <source>QR code to scan with the authenticator app</source>
        <translation>Mã QR để quét bằng ứng dụng xác thực</translation>
    </message>
    <message>
        <source>QR codes are not available here. In the authenticator app, choose “Enter a setup key” and type: {secret}</source>
        <translation>Không hiển thị được mã QR ở đây. Trong ứng dụng xác thực, hãy chọn “Nhập khóa thiết lập” và gõ: {secret}</translation>
    </message>
    <message>
        <source>Rules loaded.</source>
        <translation>Đã nhập quy tắc.</translation>
    </message>
    <message>
        <source>Rules saved to {path}</source>
        <translation>Đã lưu quy tắc vào {path}</translation>
    </message>
    <message>
        <source>Save all rules to a file to keep a copy or move them to another computer, or load rules from such a file.</source>
        <translation>Lưu toàn bộ quy tắc ra một tệp để giữ bản sao hoặc chuyển sang máy tính khác, hoặc nhập quy tắc từ một tệp như vậy.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>Scan this code with an authenticator app, or type the key by hand: {secret}</source>
        <translation>Quét mã này bằng ứng dụng xác thực, hoặc tự gõ khóa: {secret}</translation>
    </message>
    <message>
        <source>Set &amp;caregiver PIN</source>
        <translation>Đặt mã PIN người &amp;chăm sóc</translation>
    </message>
    <message>
        <source>Set &amp;up authenticator</source>
        <translation>&amp;Thiết lập ứng dụng xác thực</translation>
    </message>
    <message>
        <source>Set up &amp;again</source>
        <translation>Thiết lập &amp;lại</translation>
    </message>
    <message>
        <source>That code is not right. Check the phone&apos;s time and try the newest code.</source>
        <translation>Mã này không đúng. Hãy kiểm tra giờ trên điện thoại và thử mã mới nhất.</translation>
    </message>
    <message>
        <source>The PIN was not changed: %1</source>
        <translation>Mã PIN chưa được đổi: %1</translation>
    </message>
    <message>
        <source>The caregiver PIN is set.</source>
        <translation>Đã đặt mã PIN người chăm sóc.</translation>
    </message>
    <message>
        <source>The caregiver PIN is set. Tip: 6 digits or more are much harder for a child to guess.</source>
        <translation>Đã đặt mã PIN người chăm sóc. Mẹo: mã PIN từ 6 chữ số trở lên thì con khó đoán hơn nhiều.</translation>
    </message>
    <message>
        <source>The idle time must be 1 to 120 minutes.</source>
        <translation>Thời gian không thao tác phải từ 1 đến 120 phút.</translation>
    </message>
    <message>
        <source>The parent PIN is changed.</source>
        <translation>Đã đổi mã PIN của cha mẹ.</translation>
    </message>
    <message>
        <source>The parent PIN is changed. A 6-digit PIN would be safer.</source>
        <translation>Đã đổi mã PIN của cha mẹ. Mã 6 chữ số sẽ an toàn hơn.</translation>
    </message>
    <message>
        <source>The rules could not be loaded: {error}</source>
        <translation>Không nhập được quy tắc: {error}</translation>
    </message>
    <message>
        <source>The rules could not be saved: {error}</source>
        <translation>Không lưu được quy tắc: {error}</translation>
    </message>
    <message>
        <source>The two PINs are not the same.</source>
        <translation>Hai lần nhập mã PIN không khớp nhau.</translation>
    </message>
    <message>
        <source>The two new PINs are not the same.</source>
        <translation>Hai lần nhập mã PIN mới không khớp nhau.</translation>
    </message>
    <message>
        <source>These rules are the same as the current ones.</source>
        <translation>Các quy tắc này giống hệt quy tắc hiện tại.</translation>
    </message>
    <message>
        <source>These rules cannot be used:
{error}</source>
        <translation>Không dùng được các quy tắc này:
{error}</translation>
    </message>
    <message>
        <source>Time and records</source>
        <translation>Thời gian và dữ liệu</translation>
    </message>
    <message>
        <source>Type warning times as minutes from 1 to 120, separated by commas.</source>
        <translation>Nhập các mốc nhắc nhở theo phút, từ 1 đến 120, cách nhau bằng dấu phẩy.</translation>
    </message>
    <message>
        <source>for example 15, 5, 1</source>
        <translation>ví dụ 15, 5, 1</translation>
    </message>
</context>
<context>
    <name>SiteList</name>
    <message>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Bỏ</translation>
    </message>
</context>
<context>
    <name>SummariesPage</name>
    <message>
        <source>&amp;Export this child&apos;s records…</source>
        <translation>&amp;Xuất dữ liệu của con…</translation>
    </message>
    <message>
        <source>&amp;Week:</source>
        <translation>&amp;Tuần:</translation>
    </message>
    <message>
        <source>C&amp;hild:</source>
        <translation>&amp;Con:</translation>
    </message>
    <message>
        <source>Child</source>
        <translation>Con</translation>
    </message>
    <message>
        <source>Could not print: {error}</source>
        <translation>Không in được: {error}</translation>
    </message>
    <message>
        <source>Could not read the summaries: {error}</source>
        <translation>Không đọc được bản tóm tắt: {error}</translation>
    </message>
    <message>
        <source>Could not save: {error}</source>
        <translation>Không lưu được: {error}</translation>
    </message>
    <message>
        <source>Delete all of {child}&apos;s recorded use, events, requests and extra time? This cannot be undone. The rules for {child} stay.</source>
        <translation>Xóa toàn bộ thời gian sử dụng, sự kiện, yêu cầu và giờ được thêm đã ghi của {child}? Việc này không thể hoàn tác. Quy tắc của {child} vẫn được giữ nguyên.</translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation>Đang xóa…</translation>
    </message>
    <message>
        <source>Era&amp;se this child&apos;s records…</source>
        <translation>Xó&amp;a dữ liệu của con…</translation>
    </message>
    <message>
        <source>Erase {child}&apos;s records</source>
        <translation>Xóa dữ liệu của {child}</translation>
    </message>
    <message>
        <source>Export {child}&apos;s records</source>
        <translation>Xuất dữ liệu của {child}</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Đang xuất dữ liệu…</translation>
    </message>
    <message>
        <source>Guardian keeps counting through these, but they can mean someone tried to get around the rules. Talk about it together before changing anything.</source>
        <translation>Guardian vẫn tính giờ đúng, nhưng những điều này có thể cho thấy ai đó đã cố lách quy tắc. Hãy cùng con nói chuyện trước khi thay đổi điều gì.</translation>
    </message>
    <message>
        <source>Highlights</source>
        <translation>Điểm chính</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Tệp JSON (*.json)</translation>
    </message>
    <message>
        <source>Limits and requests</source>
        <translation>Giới hạn và yêu cầu</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>P&amp;rint…</source>
        <translation>&amp;In…</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>In</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>Đang in…</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Tiến độ</translation>
    </message>
    <message>
        <source>Save as &amp;PDF…</source>
        <translation>Lưu thành &amp;PDF…</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>Lưu thành PDF</translation>
    </message>
    <message>
        <source>Saved {name}.</source>
        <translation>Đã lưu {name}.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>Screen time by day</source>
        <translation>Thời gian sử dụng từng ngày</translation>
    </message>
    <message>
        <source>Signs of tampering</source>
        <translation>Dấu hiệu can thiệp</translation>
    </message>
    <message>
        <source>There are no children in the rules yet.</source>
        <translation>Chưa có con nào trong quy tắc.</translation>
    </message>
    <message>
        <source>This child&apos;s records:</source>
        <translation>Dữ liệu đã ghi của con:</translation>
    </message>
    <message>
        <source>Top apps</source>
        <translation>Ứng dụng dùng nhiều nhất</translation>
    </message>
    <message>
        <source>Type the parent PIN to continue:</source>
        <translation>Nhập mã PIN của cha mẹ để tiếp tục:</translation>
    </message>
    <message>
        <source>Use by hour of day</source>
        <translation>Thời gian sử dụng theo giờ trong ngày</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Tuần</translation>
    </message>
    <message>
        <source>Weekly summaries</source>
        <translation>Tóm tắt hằng tuần</translation>
    </message>
    <message>
        <source>{count} records deleted.</source>
        <translation>Đã xóa {count} bản ghi.</translation>
    </message>
    <message>
        <source>{week}: {first} – {last}</source>
        <translation>{week}: {first} – {last}</translation>
    </message>
</context>
<context>
    <name>SummaryCharts</name>
    <message>
        <source>daytime</source>
        <translation>ban ngày</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>giờ</translation>
    </message>
</context>
<context>
    <name>TimePill</name>
    <message>
        <source>Guardian: time left</source>
        <translation>Guardian: thời gian còn lại</translation>
    </message>
</context>
<context>
    <name>TimeRing</name>
    <message>
        <source>%1 left</source>
        <translation>còn %1</translation>
    </message>
    <message>
        <source>%1 used</source>
        <translation>Đã dùng %1</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <source>Paused until tomorrow</source>
        <translation>Tạm dừng đến mai</translation>
    </message>
    <message>
        <source>Screen time today</source>
        <translation>Thời gian sử dụng hôm nay</translation>
    </message>
    <message>
        <source>left</source>
        <translation>còn lại</translation>
    </message>
    <message>
        <source>no daily limit</source>
        <translation>không giới hạn thời gian</translation>
    </message>
    <message>
        <source>until tomorrow</source>
        <translation>đến mai</translation>
    </message>
    <message>
        <source>used</source>
        <translation>đã dùng</translation>
    </message>
</context>
<context>
    <name>TimesUpCover</name>
    <message>
        <source>Ask for more time</source>
        <translation>Xin thêm giờ</translation>
    </message>
    <message>
        <source>Close this screen</source>
        <translation>Đóng màn hình này</translation>
    </message>
    <message>
        <source>Closing apps now. School and help apps stay open.</source>
        <translation>Đang đóng các ứng dụng. Ứng dụng học tập và trợ giúp vẫn mở.</translation>
    </message>
    <message>
        <source>Guardian: time&apos;s up</source>
        <translation>Guardian: hết giờ</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Trợ giúp</translation>
    </message>
    <message>
        <source>Locking the computer now.</source>
        <translation>Đang khoá máy tính.</translation>
    </message>
    <message>
        <source>Signing out now.</source>
        <translation>Đang đăng xuất.</translation>
    </message>
    <message>
        <source>Time to take a break.</source>
        <translation>Đến lúc nghỉ ngơi rồi.</translation>
    </message>
    <message>
        <source>Time&apos;s up</source>
        <translation>Hết giờ rồi</translation>
    </message>
    <message>
        <source>{time} left to save your work</source>
        <translation>Còn {time} để lưu bài của bạn</translation>
    </message>
</context>
<context>
    <name>TrayWindow</name>
    <message>
        <source>Ask for more time</source>
        <translation>Xin thêm giờ</translation>
    </message>
    <message>
        <source>Connected to Guardian again.</source>
        <translation>Đã kết nối lại với Guardian.</translation>
    </message>
    <message>
        <source>Connecting to Guardian…</source>
        <translation>Đang kết nối với Guardian…</translation>
    </message>
    <message>
        <source>Guardian&apos;s agent is not answering. Your rules still apply; trying to reconnect…</source>
        <translation>Guardian đang không trả lời. Quy tắc vẫn được áp dụng; đang thử kết nối lại…</translation>
    </message>
    <message>
        <source>Guardian: my time</source>
        <translation>Guardian: thời gian của tôi</translation>
    </message>
    <message>
        <source>Guardian: not connected</source>
        <translation>Guardian: chưa kết nối</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Trợ giúp</translation>
    </message>
    <message>
        <source>My time</source>
        <translation>Thời gian của tôi</translation>
    </message>
    <message>
        <source>No limit today</source>
        <translation>Hôm nay không giới hạn</translation>
    </message>
    <message>
        <source>No more computer time today.</source>
        <translation>Hôm nay không còn giờ dùng máy nữa.</translation>
    </message>
    <message>
        <source>No screen-time limit today.</source>
        <translation>Hôm nay không giới hạn thời gian sử dụng.</translation>
    </message>
    <message>
        <source>The computer is not for use right now.</source>
        <translation>Bây giờ chưa phải giờ dùng máy tính.</translation>
    </message>
    <message>
        <source>Time&apos;s up</source>
        <translation>Hết giờ</translation>
    </message>
    <message>
        <source>What is recorded</source>
        <translation>Những gì được ghi lại</translation>
    </message>
    <message>
        <source>You can use the computer again at {time}.</source>
        <translation>Bạn được dùng máy tính lại lúc {time}.</translation>
    </message>
    <message>
        <source>You can use the computer until {time}.</source>
        <translation>Bạn được dùng máy tính đến {time}.</translation>
    </message>
    <message>
        <source>Your parents gave you {time} more.</source>
        <translation>Bố mẹ đã cho bạn thêm {time}.</translation>
    </message>
    <message>
        <source>Your parents paused the computer until tomorrow.</source>
        <translation>Bố mẹ đã tạm dừng máy tính đến ngày mai.</translation>
    </message>
    <message>
        <source>Your parents said no to more time this time.</source>
        <translation>Lần này bố mẹ chưa cho thêm giờ.</translation>
    </message>
    <message>
        <source>Your screen time for today is used up.</source>
        <translation>Hôm nay bạn đã dùng hết thời gian sử dụng.</translation>
    </message>
    <message>
        <source>{app}: used up for today</source>
        <translation>{app}: hôm nay đã hết giờ</translation>
    </message>
    <message>
        <source>{app}: {time} left</source>
        <translation>{app}: còn {time}</translation>
    </message>
    <message>
        <source>{time} of screen time left today</source>
        <translation>Hôm nay còn {time} thời gian sử dụng</translation>
    </message>
</context>
<context>
    <name>TrayWords</name>
    <message>
        <source>Please finish what you are doing and take a break. Your parents will see the time.</source>
        <translation>Hãy làm nốt việc đang dở rồi nghỉ ngơi nhé. Bố mẹ sẽ thấy thời gian bạn đã dùng.</translation>
    </message>
    <message>
        <source>Screen time: {left} left for today.</source>
        <translation>Thời gian sử dụng: hôm nay còn {left}.</translation>
    </message>
    <message>
        <source>The computer is not for use at this hour.</source>
        <translation>Giờ này không phải giờ dùng máy tính.</translation>
    </message>
    <message>
        <source>The computer may be used until {time}: {left} left.</source>
        <translation>Máy tính được dùng đến {time}: còn {left}.</translation>
    </message>
    <message>
        <source>Then the computer locks. Save your work now; nothing is lost when it locks.</source>
        <translation>Sau đó máy tính sẽ khoá. Hãy lưu bài ngay; khoá máy không làm mất gì cả.</translation>
    </message>
    <message>
        <source>Then you are signed out and open apps close. Save your work now.</source>
        <translation>Sau đó bạn sẽ bị đăng xuất và các ứng dụng đang mở sẽ đóng. Hãy lưu bài ngay.</translation>
    </message>
    <message>
        <source>Then your apps close, except those for school and help. Save your work now.</source>
        <translation>Sau đó các ứng dụng sẽ đóng, trừ ứng dụng học tập và trợ giúp. Hãy lưu bài ngay.</translation>
    </message>
    <message>
        <source>Your parents paused the computer until tomorrow.</source>
        <translation>Bố mẹ đã tạm dừng máy tính đến ngày mai.</translation>
    </message>
    <message>
        <source>Your screen time for today is used up.</source>
        <translation>Hôm nay bạn đã dùng hết thời gian sử dụng.</translation>
    </message>
    <message>
        <source>games</source>
        <translation>trò chơi</translation>
    </message>
    <message>
        <source>learning apps</source>
        <translation>ứng dụng học tập</translation>
    </message>
    <message>
        <source>social apps</source>
        <translation>mạng xã hội</translation>
    </message>
    <message>
        <source>videos</source>
        <translation>video</translation>
    </message>
    <message>
        <source>web browsers</source>
        <translation>trình duyệt web</translation>
    </message>
    <message>
        <source>{app} was closed: its time for today is used up.</source>
        <translation>{app} đã bị đóng: hôm nay đã hết giờ dành cho ứng dụng này.</translation>
    </message>
    <message>
        <source>{app} was closed: screen time is over for now.</source>
        <translation>{app} đã bị đóng: đã hết thời gian sử dụng.</translation>
    </message>
    <message>
        <source>{app} was closed: your parents turned it off on this computer.</source>
        <translation>{app} đã bị đóng: bố mẹ đã chặn ứng dụng này trên máy tính.</translation>
    </message>
    <message>
        <source>{app}: {left} left for today.</source>
        <translation>{app}: hôm nay còn {left}.</translation>
    </message>
    <message>
        <source>{h} h</source>
        <translation>{h} giờ</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h} giờ {m} phút</translation>
    </message>
    <message>
        <source>{m} min</source>
        <translation>{m} phút</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} giây</translation>
    </message>
</context>
<context>
    <name>WarningBanner</name>
    <message>
        <source>An app was closed</source>
        <translation>Một ứng dụng đã bị đóng</translation>
    </message>
    <message>
        <source>Guardian: time is running out</source>
        <translation>Guardian: sắp hết giờ</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Trợ giúp</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Đã hiểu</translation>
    </message>
    <message>
        <source>Time for a break</source>
        <translation>Đến giờ nghỉ rồi</translation>
    </message>
    <message>
        <source>Time is running out</source>
        <translation>Sắp hết giờ</translation>
    </message>
    <message>
        <source>You have been playing for {minutes} minutes. Stand up, stretch and rest your eyes for a few minutes.</source>
        <translation>Bạn đã chơi {minutes} phút rồi. Hãy đứng dậy, vươn vai và cho mắt nghỉ vài phút nhé.</translation>
    </message>
</context>
<context>
    <name>WarningsPage</name>
    <message>
        <source>A few things that make Guardian harder to get around.</source>
        <translation>Vài điều nên làm để con khó qua mặt Guardian hơn.</translation>
    </message>
    <message>
        <source>Before you finish</source>
        <translation>Trước khi hoàn tất</translation>
    </message>
    <message>
        <source>Fix: Settings → Accounts → Other users → {account} → Change account type → Standard User.</source>
        <translation>Cách sửa: Cài đặt → Tài khoản → Người dùng khác → {account} → Thay đổi loại tài khoản → Người dùng tiêu chuẩn.</translation>
    </message>
    <message>
        <source>Fix: System Settings → Users &amp; Groups → {account} → turn off “Allow this user to administer this computer”.</source>
        <translation>Cách sửa: Cài đặt hệ thống → Người dùng và nhóm → {account} → tắt “Cho phép người dùng này quản trị máy tính này”.</translation>
    </message>
    <message>
        <source>Fix: make the account a standard user, for example with: sudo gpasswd -d {account} sudo</source>
        <translation>Cách sửa: chuyển tài khoản thành người dùng thường, ví dụ bằng lệnh: sudo gpasswd -d {account} sudo</translation>
    </message>
    <message>
        <source>Guardian is not installed as a protected service on this computer yet, so it runs inside the child&apos;s own session. A child who knows how could close it; Guardian will record the gap and show it in your weekly summary.</source>
        <translation>Guardian chưa được cài thành dịch vụ được bảo vệ trên máy tính này, nên đang chạy ngay trong phiên đăng nhập của con. Nếu biết cách, con có thể tắt nó; khi đó Guardian sẽ ghi lại khoảng thời gian bị gián đoạn và cho bạn thấy trong bản tóm tắt hằng tuần.</translation>
    </message>
    <message>
        <source>Press Finish to save the PINs and the rules.</source>
        <translation>Nhấn Hoàn tất để lưu mã PIN và quy tắc.</translation>
    </message>
    <message>
        <source>⚠ The account &lt;b&gt;{account}&lt;/b&gt; is an administrator: it could stop Guardian or change its rules.</source>
        <translation>⚠ Tài khoản &lt;b&gt;{account}&lt;/b&gt; có quyền quản trị: từ tài khoản này có thể tắt Guardian hoặc đổi quy tắc.</translation>
    </message>
</context>
<context>
    <name>WebPage</name>
    <message>
        <source>Add a child on the Rules page first.</source>
        <translation>Hãy thêm con ở trang Quy tắc trước.</translation>
    </message>
    <message>
        <source>Add a list of sites</source>
        <translation>Thêm danh sách trang web</translation>
    </message>
    <message>
        <source>Add a list…</source>
        <translation>Thêm danh sách…</translation>
    </message>
    <message>
        <source>Added %1 sites to the list “%2”.</source>
        <translation>Đã thêm %1 trang web vào danh sách “%2”.</translation>
    </message>
    <message>
        <source>Adult content</source>
        <translation>Nội dung người lớn</translation>
    </message>
    <message>
        <source>Always allowed sites</source>
        <translation>Trang web luôn được phép</translation>
    </message>
    <message>
        <source>Always blocked sites</source>
        <translation>Trang web luôn bị chặn</translation>
    </message>
    <message>
        <source>Betting and gambling</source>
        <translation>Cá độ, cờ bạc, nhà cái</translation>
    </message>
    <message>
        <source>Block these kinds of sites</source>
        <translation>Chặn các loại trang web này</translation>
    </message>
    <message>
        <source>Child</source>
        <translation>Con</translation>
    </message>
    <message>
        <source>Child:</source>
        <translation>Con:</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>Không đọc được %1: %2</translation>
    </message>
    <message>
        <source>Force SafeSearch on Google, Bing and DuckDuckGo</source>
        <translation>Luôn bật Tìm kiếm an toàn trên Google, Bing và DuckDuckGo</translation>
    </message>
    <message>
        <source>Games</source>
        <translation>Trò chơi</translation>
    </message>
    <message>
        <source>Guardian comes with short lists. You can add a bigger list for a kind of site: a text file with one site a line, or a hosts file. It replaces the list you added before for that kind.</source>
        <translation>Guardian có sẵn các danh sách ngắn. Bạn có thể thêm một danh sách lớn hơn cho từng loại trang: tệp văn bản mỗi dòng một trang, hoặc tệp hosts. Danh sách mới sẽ thay cho danh sách bạn đã thêm trước đó cho loại này.</translation>
    </message>
    <message>
        <source>Guardian filters the web for each child on this computer, with no online service. It records only how many lookups were blocked of each kind, never which sites.</source>
        <translation>Guardian lọc web cho từng con ngay trên máy này, không cần dịch vụ trực tuyến nào. Guardian chỉ ghi lại số lượt bị chặn của mỗi loại, không bao giờ ghi tên trang.</translation>
    </message>
    <message>
        <source>Kind of site for the list</source>
        <translation>Loại trang của danh sách</translation>
    </message>
    <message>
        <source>Lists of sites</source>
        <translation>Danh sách trang web</translation>
    </message>
    <message>
        <source>Moderate</source>
        <translation>Vừa phải</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Tắt</translation>
    </message>
    <message>
        <source>Protect this child on the web</source>
        <translation>Bảo vệ con khi lên mạng</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Saved. The filter uses it within a few seconds.</source>
        <translation>Đã lưu. Bộ lọc sẽ áp dụng sau vài giây.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>Scams and phishing</source>
        <translation>Lừa đảo, giả mạo</translation>
    </message>
    <message>
        <source>Social networks</source>
        <translation>Mạng xã hội</translation>
    </message>
    <message>
        <source>Strict</source>
        <translation>Nghiêm ngặt</translation>
    </message>
    <message>
        <source>This child is no longer in the rules.</source>
        <translation>Con này không còn trong quy tắc nữa.</translation>
    </message>
    <message>
        <source>Type a site like example.com.</source>
        <translation>Hãy gõ tên trang, ví dụ example.com.</translation>
    </message>
    <message>
        <source>VPNs and proxies that get around the filter</source>
        <translation>VPN và proxy dùng để vượt bộ lọc</translation>
    </message>
    <message>
        <source>Video sites</source>
        <translation>Trang video</translation>
    </message>
    <message>
        <source>Violence and gore</source>
        <translation>Bạo lực, máu me</translation>
    </message>
    <message>
        <source>Web protection</source>
        <translation>Bảo vệ khi lên mạng</translation>
    </message>
    <message>
        <source>When Guardian is installed as a service it also sets Chrome, Edge and Firefox to use SafeSearch and not to bypass the filter. On Linux these browser settings apply to every account on this computer, yours too.</source>
        <translation>Khi được cài như một dịch vụ, Guardian còn đặt Chrome, Edge và Firefox luôn dùng Tìm kiếm an toàn và không cho vượt bộ lọc. Trên Linux, các thiết lập trình duyệt này áp dụng cho mọi tài khoản trên máy, kể cả tài khoản của bạn.</translation>
    </message>
    <message>
        <source>YouTube Restricted Mode</source>
        <translation>Chế độ hạn chế của YouTube</translation>
    </message>
    <message>
        <source>YouTube Restricted Mode:</source>
        <translation>Chế độ hạn chế của YouTube:</translation>
    </message>
</context>
<context>
    <name>WebsiteDialog</name>
    <message>
        <source>&amp;Category:</source>
        <translation>&amp;Nhóm:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Tên:</translation>
    </message>
    <message>
        <source>&amp;Window titles:</source>
        <translation>Tiêu đề &amp;cửa sổ:</translation>
    </message>
    <message>
        <source>Add a website</source>
        <translation>Thêm trang web</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Guardian recognises the site by the browser&apos;s window title. Use * for any text, for example *YouTube*. Separate several patterns with commas.</source>
        <translation>Guardian nhận ra trang web qua tiêu đề cửa sổ trình duyệt. Dùng * thay cho đoạn chữ bất kỳ, ví dụ *YouTube*. Nhiều mẫu thì cách nhau bằng dấu phẩy.</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>Website name</source>
        <translation>Tên trang web</translation>
    </message>
    <message>
        <source>Window titles</source>
        <translation>Tiêu đề cửa sổ</translation>
    </message>
</context>
<context>
    <name>WeekdayTimes</name>
    <message>
        <source>&amp;Same every day</source>
        <translation>&amp;Giống nhau mọi ngày</translation>
    </message>
    <message>
        <source>Every day</source>
        <translation>Mọi ngày</translation>
    </message>
    <message>
        <source>{name}: same every day</source>
        <translation>{name}: giống nhau mọi ngày</translation>
    </message>
</context>
</TS>
