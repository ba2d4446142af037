; Inno Setup script: installs dist\ShopDesk (built by installer\build.py) for the current user.
; Chinese and English, start-menu and desktop shortcuts; the uninstaller removes the program only and keeps
; the shop's data in %LOCALAPPDATA%\ShopDesk (members, backups, logs).
; Compile: ISCC.exe /DAppVersion=0.1.0 installer\shopdesk.iss   (build.py does this)

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F1C7C52-8A2B-4C55-9E0C-3B7E5A1D2F11}
AppName=ShopDesk
AppVerName=ShopDesk {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=ShopDesk
DefaultDirName={autopf}\ShopDesk
DefaultGroupName=ShopDesk
; Per-user install: no administrator rights needed in a shop's PC.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\dist
OutputBaseFilename=ShopDesk-Setup-{#AppVersion}
#if FileExists(AddBackslash(SourcePath) + "shopdesk.ico")
SetupIconFile=shopdesk.ico
#endif
UninstallDisplayIcon={app}\ShopDesk.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
CloseApplications=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.LaunchApp=启动 店铺会员助手
english.LaunchApp=Start ShopDesk
chinesesimplified.AppName=店铺会员助手
english.AppName=ShopDesk

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\dist\ShopDesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{cm:AppName}"; Filename: "{app}\ShopDesk.exe"
Name: "{group}\{cm:UninstallProgram,{cm:AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{cm:AppName}"; Filename: "{app}\ShopDesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\ShopDesk.exe"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] for {localappdata}\ShopDesk: the shop's data outlives the program on purpose.
; Only files the installer itself put in {app} are removed.
