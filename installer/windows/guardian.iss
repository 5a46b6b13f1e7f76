; Inno Setup 6 script: Guardian for Windows, built from the PyInstaller bundle (dist\guardian).
;   python scripts\build.py bundle
;   iscc installer\windows\guardian.iss        -> dist\guardian-setup-0.1.0.exe
; The installer copies the bundle to Program Files, then "guardian service install" registers the agent as a
; LocalSystem service (auto start, restart on failure, users cannot stop it), the tray in every session (HKLM
; Run) and %ProgramData%\Guardian for SYSTEM and Administrators only. Uninstalling removes the service and the
; program and keeps the data; the uninstaller asks whether to delete it too.
; Not yet built or run on Windows: see docs/install.md.

#define AppName "Guardian"
#define AppVersion "0.1.0"
#define Bundle "..\..\dist\guardian"

[Setup]
AppId={{6C4B0D7E-3F1A-4B7B-9D55-2C1E8F0A9B31}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Guardian developers
DefaultDirName={autopf}\Guardian
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=guardian-setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\guardian.exe
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Guardian"; Filename: "{app}\guardian.exe"; Comment: "Guardian parent console"

[Run]
; upgrades: bring the database up to date first (a backup is written beside it), then (re)register
Filename: "{app}\guardian.exe"; Parameters: "service migrate --home ""{commonappdata}\Guardian"""; \
  Flags: runhidden waituntilterminated; StatusMsg: "Updating the family's data..."; \
  Check: DirExists(ExpandConstant('{commonappdata}\Guardian'))
Filename: "{app}\guardian.exe"; Parameters: "service install --program ""{app}\guardian.exe"""; \
  Flags: runhidden waituntilterminated; StatusMsg: "Registering the Guardian service..."
Filename: "{app}\guardian.exe"; Description: "Open the Guardian console"; Flags: postinstall nowait skipifsilent

[UninstallRun]
Filename: "{app}\guardian.exe"; Parameters: "service uninstall --program ""{app}\guardian.exe"""; \
  Flags: runhidden waituntilterminated; RunOnceId: "GuardianServiceUninstall"

[Code]
// An upgrade replaces guardian.exe while the service runs it: stop the service first.
function PrepareToInstall(var NeedsRestart: Boolean): String;
var
  ResultCode: Integer;
begin
  Exec(ExpandConstant('{sys}\sc.exe'), 'stop GuardianAgent', '', SW_HIDE, ewWaitUntilTerminated, ResultCode);
  Result := '';
end;

// Keep the family's data unless the parent asks to delete it.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(ExpandConstant('{commonappdata}\Guardian')) then
    if MsgBox('Also delete the family''s data (rules and usage history) in ' +
              ExpandConstant('{commonappdata}\Guardian') + '?', mbConfirmation, MB_YESNO or MB_DEFAULTBUTTON2) = IDYES then
      DelTree(ExpandConstant('{commonappdata}\Guardian'), True, True, True);
end;
