; The Windows installer (Inno Setup 6): Start-menu entry, a desktop icon, «Запускать при входе в
; Windows». Built by packaging\build-windows.ps1 after PyInstaller made dist\workshop-crm\.
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "CRM «Детские кровати Маня»"

[Setup]
AppId={{8C1D5E2A-6B7F-4A51-9D0C-2F3B4A5C6D7E}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Детские кровати Маня
DefaultDirName={autopf}\WorkshopCRM
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\dist
OutputBaseFilename=workshop-crm-{#AppVersion}-setup
SetupIconFile=..\build\icons\workshop-crm.ico
UninstallDisplayIcon={app}\workshop-crm.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "russian"; MessagesFile: "compiler:Languages\Russian.isl"

[Tasks]
Name: "desktopicon"; Description: "Значок на рабочем столе"; GroupDescription: "Значки:"
Name: "autostart"; Description: "Запускать при входе в Windows (напоминания с утра)"; GroupDescription: "Запуск:"

[Files]
Source: "..\dist\workshop-crm\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\workshop-crm.exe"
Name: "{group}\Удалить {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\workshop-crm.exe"; Tasks: desktopicon

[Registry]
; the same value the program's «Настройки → Запускать при входе в систему» writes and removes
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; \
  ValueName: "workshop-crm"; ValueData: """{app}\workshop-crm.exe"""; Flags: uninsdeletevalue; Tasks: autostart

[Run]
Filename: "{app}\workshop-crm.exe"; Description: "Запустить программу"; Flags: nowait postinstall skipifsilent
