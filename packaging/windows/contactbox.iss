; Inno Setup script: a Windows installer from the PyInstaller folder dist\contactbox\.
;
;   pyinstaller --noconfirm build_installer.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\contactbox.iss
;
; Produces dist\ContactboxSync-<version>-setup.exe. Per-user install (no admin rights),
; Start menu entry, optional desktop icon, uninstaller. Data and passwords are not touched
; on uninstall (they live in %LOCALAPPDATA%\Contactbox\contactbox-sync and the Windows
; Credential Manager).
;
; NOT CHECKED: written on Linux, never compiled with iscc. See docs/INSTALL.md.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define SourceDir "..\..\dist\contactbox"

[Setup]
AppId={{6C1A3E52-8E0B-4E55-9C2B-3F6A0B7C2D41}
AppName=Contactbox Sync
AppVersion={#AppVersion}
AppPublisher=Contactbox
DefaultDirName={autopf}\Contactbox Sync
DefaultGroupName=Contactbox Sync
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=ContactboxSync-{#AppVersion}-setup
SetupIconFile=..\..\build\contactbox-assets\contactbox.ico
UninstallDisplayIcon={app}\contactbox.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "de"; MessagesFile: "compiler:Languages\German.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Contactbox Sync"; Filename: "{app}\contactbox.exe"
Name: "{group}\{cm:UninstallProgram,Contactbox Sync}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Contactbox Sync"; Filename: "{app}\contactbox.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\contactbox.exe"; Description: "{cm:LaunchProgram,Contactbox Sync}"; Flags: nowait postinstall skipifsilent
