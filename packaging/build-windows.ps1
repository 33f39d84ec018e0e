# Build the Windows bundle and its installer. On a Windows PC with Python 3.11+ (python.org, "py"
# launcher) and Inno Setup 6 (https://jrsoftware.org/isinfo.php), in PowerShell from the repository:
#   powershell -ExecutionPolicy Bypass -File packaging\build-windows.ps1
# → dist\workshop-crm\ (the program) and dist\workshop-crm-VERSION-setup.exe (the installer).
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")
if (-not (Test-Path .venv\Scripts\python.exe)) { py -3 -m venv .venv }
$python = ".venv\Scripts\python.exe"
& $python -m pip install -q -e ".[bundle]"
& $python packaging\make_icon.py build\icons
& $python -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller `
    packaging\workshop-crm.spec
$version = & $python -c "from app.domain.version import program_version; print(program_version())"
$iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"
& $iscc "/DAppVersion=$version" packaging\workshop-crm.iss
Write-Host "Готово: dist\workshop-crm-$version-setup.exe"
